//! `esim fixture`: writes a complete, valid site of fictitious people for tests
//! and benchmarks.
//!
//! The output has the layout of DESIGN.md: `config.toml`, the theme and the
//! reference tables copied from an existing site (`--from`), records split by
//! region in `data/records/<code>.csv`, an empty `data/redirects.csv`, three
//! essays, an about page and biographies for about 1% of the people.
//!
//! Every person is invented. Names follow the naming patterns of the peoples who
//! were repressed in and deported to Kazakhstan, dates and outcomes are drawn
//! within the ranges real records have and kept consistent with each other, and
//! every row's `source` says that the record is fictitious.
//!
//! The output depends only on the seed and the number of people: the generator
//! has its own PRNG (splitmix64), and person `k` is drawn from a stream of its own,
//! so the first people of a large fixture are those of a smaller one.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What to generate and where.
#[derive(Debug, Clone)]
pub struct FixtureOptions {
    /// How many people.
    pub people: usize,
    /// The seed: the same seed and number of people give byte-identical output.
    pub seed: u64,
    /// The directory to write the site into: empty, missing, or a previous fixture.
    pub out: PathBuf,
    /// The site whose `themes/`, `data/regions.toml` and `data/vocabulary.toml`
    /// are copied.
    pub from: PathBuf,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixtureStats {
    pub people: usize,
    /// Rows of the record files (one per case).
    pub cases: usize,
    /// Biography files (one per person and language).
    pub biographies: usize,
    /// Every file written, the copied theme included.
    pub files: usize,
}

impl std::fmt::Display for FixtureStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} people, {} cases, {} biographies, {} files",
            self.people, self.cases, self.biographies, self.files
        )
    }
}

/// The file that marks a directory as written by `esim fixture`.
pub const MARKER: &str = ".esim-fixture";

/// What `generate` writes at the top of the output directory; a previous fixture's
/// copies of these are removed first.
const GENERATED: [&str; 5] = [MARKER, "config.toml", "themes", "data", "content"];

const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];

/// Writes the fixture site described by `o`.
pub fn generate(o: &FixtureOptions) -> Result<FixtureStats, String> {
    if o.people == 0 {
        return Err("--people must be at least 1: a site needs a record".into());
    }
    check_sources(&o.from)?;
    prepare_out(o)?;
    let mut stats = FixtureStats { people: o.people, ..FixtureStats::default() };
    let out = &o.out;
    write_file(
        &out.join(MARKER),
        &format!("esim fixture: {} fictitious people, seed {}\n", o.people, o.seed),
        &mut stats,
    )?;
    write_file(&out.join("config.toml"), &config_toml(o), &mut stats)?;
    copy_tree(&o.from.join("themes"), &out.join("themes"), &mut stats)?;
    for name in ["regions.toml", "vocabulary.toml"] {
        let (from, to) = (o.from.join("data").join(name), out.join("data").join(name));
        fs::create_dir_all(out.join("data")).map_err(|e| io_error(&out.join("data"), e))?;
        fs::copy(&from, &to).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
        stats.files += 1;
    }
    write_file(&out.join("data/redirects.csv"), "from,to\n", &mut stats)?;
    for (slug, lang, text) in essays() {
        let path = out.join(format!("content/essays/{slug}.{lang}.md"));
        write_file(&path, &text, &mut stats)?;
    }
    for (lang, text) in about_pages(o.seed) {
        let path = out.join(format!("content/pages/about.{lang}.md"));
        write_file(&path, &text, &mut stats)?;
    }
    write_people(o, &mut stats)?;
    Ok(stats)
}

fn io_error(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}

fn write_file(path: &Path, text: &str, stats: &mut FixtureStats) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    fs::write(path, text).map_err(|e| io_error(path, e))?;
    stats.files += 1;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path, stats: &mut FixtureStats) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let relative = entry.path().strip_prefix(from).unwrap_or(entry.path());
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(|e| io_error(&target, e))?;
        } else {
            fs::copy(entry.path(), &target).map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
            stats.files += 1;
        }
    }
    Ok(())
}

/// The source site must have the default theme and reference tables with every
/// code the generator uses, or the fixture would not pass `esim check`.
fn check_sources(from: &Path) -> Result<(), String> {
    let theme = from.join("themes/default");
    if !theme.is_dir() {
        return Err(format!(
            "{} is missing: --from must be a site with the default theme (e.g. the esim repository)",
            theme.display()
        ));
    }
    let read = |name: &str| -> Result<toml::Table, String> {
        let path = from.join("data").join(name);
        let text = fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
        text.parse::<toml::Table>().map_err(|e| format!("{}: {}", path.display(), e.message()))
    };
    let regions = read("regions.toml")?;
    for r in REGIONS {
        if !regions.contains_key(r.code) {
            return Err(format!(
                "{}: region {} is missing; the fixture uses it",
                from.join("data/regions.toml").display(),
                r.code
            ));
        }
    }
    let vocabulary = read("vocabulary.toml")?;
    let tables: [(&str, &[&str]); 4] = [
        ("bodies", &BODIES),
        ("sentences", &SENTENCES),
        ("fates", &FATES),
        ("status", &["verified", "unverified", "disputed"]),
    ];
    for (table, codes) in tables {
        let t = vocabulary.get(table).and_then(|t| t.as_table());
        for code in codes {
            if !t.is_some_and(|t| t.contains_key(*code)) {
                return Err(format!(
                    "{}: [{table}] has no code {code:?}; the fixture uses it",
                    from.join("data/vocabulary.toml").display()
                ));
            }
        }
    }
    Ok(())
}

/// Creates the output directory, or clears a previous fixture in it. Refuses a
/// directory with anything else in it, so that real data is never overwritten.
fn prepare_out(o: &FixtureOptions) -> Result<(), String> {
    let out = &o.out;
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("{} is not a directory", out.display()));
        }
        let mut entries = fs::read_dir(out).map_err(|e| io_error(out, e))?;
        let empty = entries.next().is_none();
        if !empty {
            if !out.join(MARKER).is_file() {
                return Err(format!(
                    "{} is not empty and does not hold a previous fixture (no {MARKER} file): refusing to write into it",
                    out.display()
                ));
            }
            if let (Ok(a), Ok(b)) = (out.canonicalize(), o.from.canonicalize()) {
                if a == b {
                    return Err(format!("--from and --out are the same directory ({})", out.display()));
                }
            }
            for name in GENERATED {
                let path = out.join(name);
                let result = if path.is_dir() {
                    fs::remove_dir_all(&path)
                } else if path.exists() {
                    fs::remove_file(&path)
                } else {
                    Ok(())
                };
                result.map_err(|e| io_error(&path, e))?;
            }
        }
    }
    fs::create_dir_all(out).map_err(|e| io_error(out, e))
}

fn config_toml(o: &FixtureOptions) -> String {
    format!(
        r#"# A fixture site written by `esim fixture --people {n} --seed {seed}`.
# Every person in it is fictitious.
base_url = "https://memorial.example.org/fixture"
default_language = "kk"
languages = ["kk", "ru", "en"]
theme = "default"
record_language = "ru"

[title]
kk = "Есім: сынақ жинағы (ойдан шығарылған адамдар)"
ru = "Есім: тестовый набор (вымышленные люди)"
en = "Esim: a fixture (fictitious people)"

[description]
kk = "Сынаққа арналған сайт: ондағы {n} адамның бәрі ойдан шығарылған."
ru = "Сайт для тестов: все {n} человек в нём вымышлены."
en = "A site for tests: all {n} people in it are fictitious."
"#,
        n = o.people,
        seed = o.seed
    )
}

// --- The PRNG ------------------------------------------------------------------

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(mix64(seed))
    }

    /// The stream of item `index` of a run seeded by `seed`, independent of the
    /// streams of other items; `salt` separates the uses of the same item.
    pub fn stream(seed: u64, index: u64, salt: u64) -> Rng {
        Rng(mix64(seed) ^ mix64(index.wrapping_mul(GOLDEN) ^ salt))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }

    /// A number in `0..n` (n > 0), by multiplication rather than modulo.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent` / 100 (fractions allowed, e.g. 0.5).
    pub fn chance(&mut self, percent: f64) -> bool {
        // In basis points, so that the decision is made on integers only.
        self.below(10_000) < (percent * 100.0) as u64
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An index into `weights`, with the probability of each its share of the sum.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| *w as u64).sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w as u64 {
                return i;
            }
            x -= *w as u64;
        }
        weights.len() - 1
    }
}

// --- Dates ---------------------------------------------------------------------

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

use crate::records::date::civil_from_days;

fn year_of(day: i64) -> i64 {
    civil_from_days(day).0
}

/// A day in the given year.
fn day_in_year(rng: &mut Rng, year: i64) -> i64 {
    let start = days_from_civil(year, 1, 1);
    let end = days_from_civil(year + 1, 1, 1);
    rng.range(start, end - 1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    Year,
    Month,
    Day,
}

/// Writes `day` as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with `~` if approximate.
fn push_date(buf: &mut String, day: i64, precision: Precision, approximate: bool) {
    let (y, m, d) = civil_from_days(day);
    if approximate {
        buf.push('~');
    }
    let _ = match precision {
        Precision::Year => write!(buf, "{y:04}"),
        Precision::Month => write!(buf, "{y:04}-{m:02}"),
        Precision::Day => write!(buf, "{y:04}-{m:02}-{d:02}"),
    };
}

/// A precision for an event date: mostly full dates, as case files give them.
fn event_precision(rng: &mut Rng) -> Precision {
    match rng.below(100) {
        0..=74 => Precision::Day,
        75..=89 => Precision::Month,
        _ => Precision::Year,
    }
}

// --- Names -----------------------------------------------------------------------

/// Kazakh surnames: the archive (Russified) form, the Kazakh -ов/-ев form, and the
/// root that takes -ұлы/-қызы.
const KAZAKH_SURNAMES: [(&str, &str, &str, &str); 48] = [
    ("Байкенов", "Бәйкенов", "Бәйкен", "Байкен"),
    ("Жумабаев", "Жұмабаев", "Жұмабай", "Жумабай"),
    ("Тлеубаев", "Тілеубаев", "Тілеубай", "Тлеубай"),
    ("Даулетов", "Дәулетов", "Дәулет", "Даулет"),
    ("Амиров", "Әміров", "Әмір", "Амир"),
    ("Сейтказин", "Сейітқазин", "Сейітқазы", "Сейтказы"),
    ("Кенжин", "Кенжин", "Кенже", "Кенже"),
    ("Рыскулов", "Рысқұлов", "Рысқұл", "Рыскул"),
    ("Асфендияров", "Асфендияров", "Асфендияр", "Асфендияр"),
    ("Садвакасов", "Сәдуақасов", "Сәдуақас", "Садвакас"),
    ("Ходжанов", "Қожанов", "Қожан", "Ходжан"),
    ("Нурмаков", "Нұрмақов", "Нұрмақ", "Нурмак"),
    ("Омаров", "Омаров", "Омар", "Омар"),
    ("Ермеков", "Ермеков", "Ермек", "Ермек"),
    ("Досмухамедов", "Досмұхамедов", "Досмұхамед", "Досмухамед"),
    ("Мендешев", "Меңдешев", "Меңдеш", "Мендеш"),
    ("Кулумбетов", "Құлымбетов", "Құлымбет", "Кулумбет"),
    ("Жандосов", "Жандосов", "Жандос", "Жандос"),
    ("Алибеков", "Әлібеков", "Әлібек", "Алибек"),
    ("Абдрахманов", "Абдрахманов", "Абдрахман", "Абдрахман"),
    ("Ахметов", "Ахметов", "Ахмет", "Ахмет"),
    ("Сулейменов", "Сүлейменов", "Сүлеймен", "Сулеймен"),
    ("Касымов", "Қасымов", "Қасым", "Касым"),
    ("Утебаев", "Өтебаев", "Өтебай", "Утебай"),
    ("Жанибеков", "Жәнібеков", "Жәнібек", "Жанибек"),
    ("Жиенбаев", "Жиенбаев", "Жиенбай", "Жиенбай"),
    ("Токтабаев", "Тоқтабаев", "Тоқтабай", "Токтабай"),
    ("Нурпеисов", "Нұрпейісов", "Нұрпейіс", "Нурпеис"),
    ("Бекмаханов", "Бекмаханов", "Бекмахан", "Бекмахан"),
    ("Искаков", "Ысқақов", "Ысқақ", "Искак"),
    ("Сарсенбаев", "Сәрсенбаев", "Сәрсенбай", "Сарсенбай"),
    ("Кудайбердиев", "Құдайбердиев", "Құдайберді", "Кудайберди"),
    ("Тажибаев", "Тәжібаев", "Тәжібай", "Тажибай"),
    ("Оспанов", "Оспанов", "Оспан", "Оспан"),
    ("Каражанов", "Қаражанов", "Қаражан", "Каражан"),
    ("Есенов", "Есенов", "Есен", "Есен"),
    ("Турлыбаев", "Тұрлыбаев", "Тұрлыбай", "Турлыбай"),
    ("Бектасов", "Бектасов", "Бектас", "Бектас"),
    ("Шаймерденов", "Шаймерденов", "Шаймерден", "Шаймерден"),
    ("Кожахметов", "Қожахметов", "Қожахмет", "Кожахмет"),
    ("Мусин", "Мусин", "Мұса", "Муса"),
    ("Жакупов", "Жақыпов", "Жақып", "Жакуп"),
    ("Байжанов", "Байжанов", "Байжан", "Байжан"),
    ("Тулебаев", "Төлебаев", "Төлебай", "Тулебай"),
    ("Аубакиров", "Әубәкіров", "Әубәкір", "Аубакир"),
    ("Калиев", "Қалиев", "Қали", "Кали"),
    ("Серикбаев", "Серікбаев", "Серікбай", "Серикбай"),
    ("Елеусизов", "Елеусізов", "Елеусіз", "Елеусиз"),
];

/// Kazakh given names: archive form, Kazakh form.
const KAZAKH_MALE: [(&str, &str); 40] = [
    ("Ахмет", "Ахмет"),
    ("Мухтар", "Мұхтар"),
    ("Магжан", "Мағжан"),
    ("Жусупбек", "Жүсіпбек"),
    ("Алихан", "Әлихан"),
    ("Мухамеджан", "Мұхамеджан"),
    ("Турар", "Тұрар"),
    ("Сакен", "Сәкен"),
    ("Ильяс", "Ілияс"),
    ("Беимбет", "Бейімбет"),
    ("Смагул", "Смағұл"),
    ("Халел", "Халел"),
    ("Миржакип", "Міржақып"),
    ("Садуакас", "Сәдуақас"),
    ("Темирбек", "Темірбек"),
    ("Нурмухамед", "Нұрмұхамед"),
    ("Ермек", "Ермек"),
    ("Айдархан", "Айдархан"),
    ("Жумабай", "Жұмабай"),
    ("Касым", "Қасым"),
    ("Абдрахман", "Абдрахман"),
    ("Габбас", "Ғаббас"),
    ("Санжар", "Санжар"),
    ("Нигмет", "Нығмет"),
    ("Ураз", "Ораз"),
    ("Кошмухамед", "Қошмұхамед"),
    ("Султанбек", "Сұлтанбек"),
    ("Бекет", "Бекет"),
    ("Омар", "Омар"),
    ("Оспан", "Оспан"),
    ("Токтар", "Тоқтар"),
    ("Жакып", "Жақып"),
    ("Есентай", "Есентай"),
    ("Куаныш", "Қуаныш"),
    ("Серик", "Серік"),
    ("Мукан", "Мұқан"),
    ("Даулет", "Дәулет"),
    ("Ибрай", "Ыбырай"),
    ("Шакарим", "Шәкәрім"),
    ("Кайыргали", "Қайырғали"),
];

const KAZAKH_FEMALE: [(&str, &str); 28] = [
    ("Айша", "Айша"),
    ("Гульнар", "Гүлнар"),
    ("Зейнеп", "Зейнеп"),
    ("Бибижан", "Бибіжан"),
    ("Мариям", "Мәриям"),
    ("Назипа", "Нәзипа"),
    ("Шолпан", "Шолпан"),
    ("Гайникамал", "Ғайникамал"),
    ("Сара", "Сара"),
    ("Ултуган", "Ұлтуған"),
    ("Дамеш", "Дәмеш"),
    ("Кулян", "Күлән"),
    ("Раушан", "Раушан"),
    ("Гульжан", "Гүлжан"),
    ("Хадиша", "Хадиша"),
    ("Алма", "Алма"),
    ("Жамал", "Жамал"),
    ("Зауре", "Зәуре"),
    ("Кульпаш", "Күлпаш"),
    ("Нагима", "Нағима"),
    ("Салиха", "Сәлиха"),
    ("Дарига", "Дариға"),
    ("Багила", "Бағила"),
    ("Катира", "Қатира"),
    ("Макпал", "Мақпал"),
    ("Улжан", "Ұлжан"),
    ("Бибигуль", "Бибігүл"),
    ("Акбала", "Ақбала"),
];

/// A people other than the Kazakhs: archive (Cyrillic) name parts. Surnames are
/// (Cyrillic, original Latin spelling or "" to transliterate).
struct People {
    nationality: (&'static str, &'static str),
    surnames: &'static [(&'static str, &'static str)],
    male: &'static [&'static str],
    female: &'static [&'static str],
    /// Given names of fathers, for patronymics (default: `male`).
    fathers: &'static [&'static str],
}

const RUSSIAN_MALE: [&str; 28] = [
    "Иван",
    "Пётр",
    "Николай",
    "Алексей",
    "Михаил",
    "Василий",
    "Сергей",
    "Григорий",
    "Фёдор",
    "Павел",
    "Андрей",
    "Степан",
    "Яков",
    "Дмитрий",
    "Александр",
    "Константин",
    "Владимир",
    "Тимофей",
    "Егор",
    "Илья",
    "Никита",
    "Семён",
    "Матвей",
    "Прохор",
    "Кузьма",
    "Афанасий",
    "Евгений",
    "Леонид",
];

const RUSSIAN_FEMALE: [&str; 25] = [
    "Мария",
    "Анна",
    "Евдокия",
    "Прасковья",
    "Екатерина",
    "Татьяна",
    "Александра",
    "Ольга",
    "Наталья",
    "Елена",
    "Вера",
    "Надежда",
    "Любовь",
    "Анастасия",
    "Ксения",
    "Пелагея",
    "Варвара",
    "Агафья",
    "Ирина",
    "Зинаида",
    "Клавдия",
    "Антонина",
    "Валентина",
    "Софья",
    "Матрёна",
];

const RUSSIAN: People = People {
    nationality: ("русский", "русская"),
    surnames: &[
        ("Иванов", ""),
        ("Смирнов", ""),
        ("Кузнецов", ""),
        ("Попов", ""),
        ("Соколов", ""),
        ("Лебедев", ""),
        ("Козлов", ""),
        ("Новиков", ""),
        ("Морозов", ""),
        ("Петров", ""),
        ("Волков", ""),
        ("Соловьёв", ""),
        ("Васильев", ""),
        ("Зайцев", ""),
        ("Павлов", ""),
        ("Семёнов", ""),
        ("Голубев", ""),
        ("Виноградов", ""),
        ("Богданов", ""),
        ("Фёдоров", ""),
        ("Михайлов", ""),
        ("Беляев", ""),
        ("Тарасов", ""),
        ("Комаров", ""),
        ("Орлов", ""),
        ("Макаров", ""),
        ("Андреев", ""),
        ("Покровский", ""),
        ("Никольский", ""),
        ("Толстой", ""),
    ],
    male: &RUSSIAN_MALE,
    female: &RUSSIAN_FEMALE,
    fathers: &RUSSIAN_MALE,
};

const UKRAINIAN_MALE: [&str; 26] = [
    "Тарас",
    "Остап",
    "Богдан",
    "Назар",
    "Панас",
    "Омелян",
    "Трофим",
    "Гнат",
    "Данило",
    "Харитон",
    "Максим",
    "Лука",
    "Кирилл",
    "Иван",
    "Пётр",
    "Григорий",
    "Николай",
    "Василий",
    "Степан",
    "Михаил",
    "Андрей",
    "Федот",
    "Онисим",
    "Мирон",
    "Демьян",
    "Юхим",
];

const UKRAINIAN: People = People {
    nationality: ("украинец", "украинка"),
    surnames: &[
        ("Шевченко", ""),
        ("Коваленко", ""),
        ("Бондаренко", ""),
        ("Ткаченко", ""),
        ("Кравченко", ""),
        ("Олейник", ""),
        ("Шевчук", ""),
        ("Мельник", ""),
        ("Бойко", ""),
        ("Ткачук", ""),
        ("Коваль", ""),
        ("Савченко", ""),
        ("Руденко", ""),
        ("Марченко", ""),
        ("Лысенко", ""),
        ("Петренко", ""),
        ("Гончаренко", ""),
        ("Кузьменко", ""),
        ("Левченко", ""),
        ("Мороз", ""),
        ("Кравчук", ""),
        ("Павленко", ""),
        ("Приходько", ""),
        ("Гаврилюк", ""),
        ("Литвиненко", ""),
        ("Дорошенко", ""),
    ],
    male: &UKRAINIAN_MALE,
    female: &[
        "Оксана",
        "Ганна",
        "Олеся",
        "Мотря",
        "Параска",
        "Одарка",
        "Христина",
        "Галина",
        "Марфа",
        "Ульяна",
        "Евдокия",
        "Горпина",
        "Явдоха",
        "Наталья",
        "Мария",
        "Ярина",
        "Ефросинья",
        "Марина",
        "Феодосия",
        "Домна",
        "Килина",
        "Соломия",
        "Текля",
        "Василина",
        "Лукия",
    ],
    fathers: &UKRAINIAN_MALE,
};

const GERMAN_MALE: [&str; 26] = [
    "Иоганн",
    "Генрих",
    "Фридрих",
    "Якоб",
    "Андреас",
    "Давид",
    "Эдуард",
    "Вильгельм",
    "Карл",
    "Адам",
    "Эмиль",
    "Рудольф",
    "Готлиб",
    "Александр",
    "Роберт",
    "Отто",
    "Франц",
    "Георг",
    "Корнелиус",
    "Абрам",
    "Петер",
    "Филипп",
    "Конрад",
    "Эрнст",
    "Густав",
    "Людвиг",
];

const GERMAN: People = People {
    nationality: ("немец", "немка"),
    surnames: &[
        ("Шмидт", "Schmidt"),
        ("Мюллер", "Müller"),
        ("Вагнер", "Wagner"),
        ("Шнейдер", "Schneider"),
        ("Фишер", "Fischer"),
        ("Майер", "Meyer"),
        ("Вебер", "Weber"),
        ("Беккер", "Becker"),
        ("Шульц", "Schulz"),
        ("Гофман", "Hoffmann"),
        ("Кох", "Koch"),
        ("Рихтер", "Richter"),
        ("Клейн", "Klein"),
        ("Вольф", "Wolf"),
        ("Шредер", "Schröder"),
        ("Нейман", "Neumann"),
        ("Шварц", "Schwarz"),
        ("Циммерман", "Zimmermann"),
        ("Браун", "Braun"),
        ("Крюгер", "Krüger"),
        ("Гартман", "Hartmann"),
        ("Ланге", "Lange"),
        ("Вернер", "Werner"),
        ("Краузе", "Krause"),
        ("Келлер", "Keller"),
        ("Классен", "Klassen"),
        ("Дирксен", "Dirksen"),
        ("Пеннер", "Penner"),
        ("Тиссен", "Thiessen"),
        ("Янцен", "Janzen"),
    ],
    male: &GERMAN_MALE,
    female: &[
        "Анна",
        "Мария",
        "Эмма",
        "Эльза",
        "Амалия",
        "Катарина",
        "Лидия",
        "Фрида",
        "Ирма",
        "Берта",
        "Эльвира",
        "Маргарита",
        "Элла",
        "Паулина",
        "Регина",
        "Гертруда",
        "Луиза",
        "Агнесса",
        "Елизавета",
        "Марта",
        "Эрна",
        "Клара",
        "Роза",
        "Зельма",
        "Христина",
    ],
    fathers: &GERMAN_MALE,
};

const KOREAN_GIVEN_MALE: [&str; 28] = [
    "Николай",
    "Михаил",
    "Пётр",
    "Александр",
    "Иннокентий",
    "Владимир",
    "Тимофей",
    "Роман",
    "Василий",
    "Григорий",
    "Афанасий",
    "Максим",
    "Павел",
    "Семён",
    "Иван",
    "Фёдор",
    "Ен Хо",
    "Сен Гу",
    "Дон Хи",
    "Ен Сик",
    "Чан Бок",
    "Хак Сен",
    "Мен Су",
    "Ир Сон",
    "Тхэ Бон",
    "Ен Гир",
    "Сан Мин",
    "Гван Ир",
];

const KOREAN: People = People {
    nationality: ("кореец", "кореянка"),
    surnames: &[
        ("Ким", "Kim"),
        ("Пак", "Park"),
        ("Цой", "Choi"),
        ("Ли", "Lee"),
        ("Тен", "Jeong"),
        ("Хан", "Han"),
        ("Югай", "Yu"),
        ("Шин", "Shin"),
        ("Ни", ""),
        ("Нам", "Nam"),
        ("Ан", "Ahn"),
        ("Хван", "Hwang"),
        ("Хегай", ""),
        ("Огай", ""),
        ("Лим", "Lim"),
        ("Чон", "Jeon"),
        ("Мун", "Moon"),
        ("Кан", "Kang"),
        ("Тян", "Jang"),
        ("Де", ""),
        ("Когай", ""),
        ("Чен", ""),
        ("Ю", "Yoo"),
        ("Шегай", ""),
        ("Цхай", ""),
    ],
    male: &KOREAN_GIVEN_MALE,
    female: &[
        "Мария",
        "Анна",
        "Елена",
        "Ольга",
        "Вера",
        "Надежда",
        "Татьяна",
        "Александра",
        "Ирина",
        "Клавдия",
        "Евдокия",
        "Агафья",
        "Марфа",
        "Сун Ок",
        "Ок Сун",
        "Мен Сук",
        "Ен Ок",
        "Сун Дя",
        "Ок Хи",
        "Чун Ок",
        "Мен Ок",
        "Сон Е",
        "Ен Хи",
        "Бок Сун",
        "Кым Ок",
    ],
    // Korean fathers appear in archive patronymics by their Russian names.
    fathers: &RUSSIAN_MALE,
};

const POLISH_MALE: [&str; 25] = [
    "Ян",
    "Станислав",
    "Юзеф",
    "Казимир",
    "Владислав",
    "Тадеуш",
    "Збигнев",
    "Франц",
    "Антон",
    "Болеслав",
    "Мечислав",
    "Витольд",
    "Стефан",
    "Адам",
    "Игнатий",
    "Людвиг",
    "Войцех",
    "Марьян",
    "Генрик",
    "Эдмунд",
    "Феликс",
    "Северин",
    "Вацлав",
    "Леон",
    "Бронислав",
];

const POLISH: People = People {
    nationality: ("поляк", "полька"),
    surnames: &[
        ("Ковальский", "Kowalski"),
        ("Новак", "Nowak"),
        ("Вишневский", "Wiśniewski"),
        ("Левандовский", "Lewandowski"),
        ("Зелинский", "Zieliński"),
        ("Шиманский", "Szymański"),
        ("Войцеховский", "Wojciechowski"),
        ("Ковальчик", "Kowalczyk"),
        ("Каминский", "Kamiński"),
        ("Янковский", "Jankowski"),
        ("Мазур", "Mazur"),
        ("Кравчик", "Krawczyk"),
        ("Домбровский", "Dąbrowski"),
        ("Ясинский", "Jasiński"),
        ("Сикорский", "Sikorski"),
        ("Лисовский", "Lisowski"),
        ("Яворский", "Jaworski"),
        ("Вуйцик", "Wójcik"),
        ("Малиновский", "Malinowski"),
        ("Томашевский", "Tomaszewski"),
        ("Гурский", "Górski"),
        ("Павловский", "Pawłowski"),
        ("Сенкевич", "Sienkiewicz"),
        ("Мицкевич", "Mickiewicz"),
        ("Качмарек", "Kaczmarek"),
    ],
    male: &POLISH_MALE,
    female: &[
        "Ядвига",
        "Ванда",
        "Стефания",
        "Бронислава",
        "Янина",
        "Казимира",
        "Софья",
        "Гелена",
        "Мария",
        "Анна",
        "Ирена",
        "Леокадия",
        "Станислава",
        "Юзефа",
        "Регина",
        "Агнешка",
        "Барбара",
        "Ева",
        "Теофилия",
        "Франциска",
        "Зофья",
        "Владислава",
        "Марианна",
        "Ванда",
        "Эмилия",
    ],
    fathers: &POLISH_MALE,
};

const VAINAKH_MALE: [&str; 30] = [
    "Магомед",
    "Ахмед",
    "Абдул",
    "Муса",
    "Иса",
    "Ваха",
    "Хасан",
    "Хусейн",
    "Усман",
    "Саид",
    "Салман",
    "Умар",
    "Али",
    "Шамиль",
    "Ибрагим",
    "Юсуп",
    "Идрис",
    "Зелимхан",
    "Абу",
    "Висита",
    "Лечи",
    "Хамзат",
    "Асланбек",
    "Мовлади",
    "Дени",
    "Сулейман",
    "Берс",
    "Мурат",
    "Бексолт",
    "Исмаил",
];

const VAINAKH_FEMALE: [&str; 26] = [
    "Хава",
    "Хеда",
    "Малика",
    "Петимат",
    "Зура",
    "Айшат",
    "Марет",
    "Яха",
    "Зулай",
    "Хадижат",
    "Седа",
    "Бирлант",
    "Тоита",
    "Жовхар",
    "Фатима",
    "Зайнап",
    "Аминат",
    "Хамсат",
    "Зейнаб",
    "Асет",
    "Марем",
    "Макка",
    "Рукет",
    "Айшет",
    "Асма",
    "Зали",
];

const CHECHEN: People = People {
    nationality: ("чеченец", "чеченка"),
    surnames: &[
        ("Исаев", ""),
        ("Дудаев", ""),
        ("Мусаев", ""),
        ("Ахмадов", ""),
        ("Умаров", ""),
        ("Джабраилов", ""),
        ("Эльмурзаев", ""),
        ("Гайсултанов", ""),
        ("Мамакаев", ""),
        ("Шерипов", ""),
        ("Арсанов", ""),
        ("Масаев", ""),
        ("Бисултанов", ""),
        ("Хасбулатов", ""),
        ("Межидов", ""),
        ("Саидов", ""),
        ("Алиев", ""),
        ("Висаитов", ""),
        ("Эдилов", ""),
        ("Абубакаров", ""),
        ("Тагаев", ""),
        ("Батукаев", ""),
        ("Идрисов", ""),
        ("Вахаев", ""),
        ("Ибрагимов", ""),
    ],
    male: &VAINAKH_MALE,
    female: &VAINAKH_FEMALE,
    fathers: &VAINAKH_MALE,
};

const INGUSH: People = People {
    nationality: ("ингуш", "ингушка"),
    surnames: &[
        ("Мальсагов", ""),
        ("Евлоев", ""),
        ("Оздоев", ""),
        ("Плиев", ""),
        ("Цечоев", ""),
        ("Костоев", ""),
        ("Албаков", ""),
        ("Яндиев", ""),
        ("Ганижев", ""),
        ("Кодзоев", ""),
        ("Хамхоев", ""),
        ("Ахриев", ""),
        ("Горбаков", ""),
        ("Точиев", ""),
        ("Гагиев", ""),
        ("Мартазанов", ""),
        ("Дзейтов", ""),
        ("Аушев", ""),
        ("Чахкиев", ""),
        ("Базоркин", ""),
        ("Арчаков", ""),
        ("Барахоев", ""),
        ("Котиев", ""),
        ("Султыгов", ""),
        ("Мутталиев", ""),
    ],
    male: &VAINAKH_MALE,
    female: &VAINAKH_FEMALE,
    fathers: &VAINAKH_MALE,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nation {
    Kazakh,
    Russian,
    German,
    Ukrainian,
    Korean,
    Polish,
    Chechen,
    Ingush,
}

/// The peoples and their shares (percent) of the fixture's people.
const NATIONS: [(Nation, u32); 8] = [
    (Nation::Kazakh, 45),
    (Nation::Russian, 15),
    (Nation::German, 10),
    (Nation::Ukrainian, 8),
    (Nation::Korean, 6),
    (Nation::Polish, 5),
    (Nation::Chechen, 6),
    (Nation::Ingush, 5),
];

impl Nation {
    /// The name tables of the nation; Kazakh names have tables of their own,
    /// with the Kazakh forms.
    fn people(self) -> Option<&'static People> {
        match self {
            Nation::Kazakh => None,
            Nation::Russian => Some(&RUSSIAN),
            Nation::German => Some(&GERMAN),
            Nation::Ukrainian => Some(&UKRAINIAN),
            Nation::Korean => Some(&KOREAN),
            Nation::Polish => Some(&POLISH),
            Nation::Chechen => Some(&CHECHEN),
            Nation::Ingush => Some(&INGUSH),
        }
    }

    fn nationality(self, female: bool) -> &'static str {
        let (m, f) = self.people().map_or(("казах", "казашка"), |p| p.nationality);
        if female {
            f
        } else {
            m
        }
    }

    /// The years in which people of this nation are arrested, with weights.
    fn arrest_years(self) -> &'static [(i64, i64, u32)] {
        match self {
            Nation::Kazakh => &[(1928, 1933, 25), (1934, 1936, 7), (1937, 1938, 45), (1939, 1953, 23)],
            Nation::Russian | Nation::Ukrainian => {
                &[(1929, 1933, 20), (1934, 1936, 8), (1937, 1938, 50), (1939, 1953, 22)]
            }
            Nation::German => &[(1937, 1938, 25), (1941, 1953, 75)],
            Nation::Korean => &[(1937, 1938, 60), (1939, 1953, 40)],
            Nation::Polish => &[(1936, 1936, 30), (1937, 1938, 50), (1939, 1953, 20)],
            Nation::Chechen | Nation::Ingush => &[(1944, 1953, 100)],
        }
    }

    /// Regions where many people of this nation lived or were deported to.
    fn favoured_regions(self) -> &'static [&'static str] {
        match self {
            Nation::Korean => &["KZ-43", "KZ-19", "KZ-33", "KZ-61", "KZ-75"],
            Nation::Chechen | Nation::Ingush => &["KZ-35", "KZ-11", "KZ-55", "KZ-59", "KZ-10", "KZ-31"],
            Nation::German => &["KZ-35", "KZ-11", "KZ-39", "KZ-55", "KZ-59", "KZ-15"],
            Nation::Polish => &["KZ-59", "KZ-11", "KZ-39", "KZ-35"],
            Nation::Russian | Nation::Ukrainian => &["KZ-35", "KZ-59", "KZ-39", "KZ-63"],
            Nation::Kazakh => &[],
        }
    }
}

/// Writes a woman's form of a surname: -ов/-ев/-ин → -ова/-ева/-ина,
/// -ский/-ой → -ская/-ая; other surnames do not change.
fn push_female_surname(buf: &mut String, male: &str) {
    if let Some(stem) = male.strip_suffix("ий") {
        buf.push_str(stem);
        buf.push_str("ая");
    } else if let Some(stem) = male.strip_suffix("ой") {
        buf.push_str(stem);
        buf.push_str("ая");
    } else if ["ов", "ев", "ёв", "ин", "ын"].iter().any(|s| male.ends_with(s)) {
        buf.push_str(male);
        buf.push('а');
    } else {
        buf.push_str(male);
    }
}

fn push_surname(buf: &mut String, male: &str, female: bool) {
    if female {
        push_female_surname(buf, male);
    } else {
        buf.push_str(male);
    }
}

/// Writes the Russian-style patronymic from a father's given name.
fn push_patronymic(buf: &mut String, father: &str, female: bool) {
    const IRREGULAR: [(&str, &str, &str); 12] = [
        ("Михаил", "Михайлович", "Михайловна"),
        ("Данило", "Данилович", "Даниловна"),
        ("Пётр", "Петрович", "Петровна"),
        ("Павел", "Павлович", "Павловна"),
        ("Лев", "Львович", "Львовна"),
        ("Яков", "Яковлевич", "Яковлевна"),
        ("Илья", "Ильич", "Ильинична"),
        ("Никита", "Никитич", "Никитична"),
        ("Кузьма", "Кузьмич", "Кузьминична"),
        ("Лука", "Лукич", "Лукинична"),
        ("Дмитрий", "Дмитриевич", "Дмитриевна"),
        ("Отто", "Оттович", "Оттовна"),
    ];
    if let Some((_, m, f)) = IRREGULAR.iter().find(|(n, _, _)| *n == father) {
        buf.push_str(if female { f } else { m });
        return;
    }
    let (ev, ov) = if female { ("евна", "овна") } else { ("евич", "ович") };
    if let Some(stem) = father.strip_suffix("ий") {
        // Василий → Васильевич
        buf.push_str(stem);
        buf.push('ь');
        buf.push_str(ev);
    } else if let Some(stem) = father.strip_suffix('й').or_else(|| father.strip_suffix('ь')) {
        // Николай → Николаевич, Жумабай → Жумабаевич
        buf.push_str(stem);
        buf.push_str(ev);
    } else if father.ends_with(['а', 'я', 'е', 'и', 'о', 'у', 'ы', 'ж', 'ш', 'ч', 'щ', 'ц']) {
        // Муса → Мусаевич, Али → Алиевич, Тадеуш → Тадеушевич
        buf.push_str(father);
        buf.push_str(ev);
    } else {
        buf.push_str(father);
        buf.push_str(ov);
    }
}

/// A transliteration of Russian Cyrillic as in passports (ICAO Doc 9303), for
/// the Latin spellings that appear among name variants.
fn push_passport_latin(buf: &mut String, text: &str) {
    for c in text.chars() {
        let upper = c.is_uppercase();
        let lower = c.to_lowercase().next().unwrap_or(c);
        let l = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' => "ie",
            'ы' => "y",
            'ь' => "",
            'ю' => "iu",
            'я' => "ia",
            _ => {
                buf.push(c);
                continue;
            }
        };
        let mut it = l.chars();
        if let (true, Some(first)) = (upper, it.next()) {
            buf.extend(first.to_uppercase());
            buf.push_str(it.as_str());
        } else {
            buf.push_str(l);
        }
    }
}

/// Another Cyrillic spelling of a Kazakh surname as clerks wrote it: Ж → Дж at
/// the start, else the first ы → у, else the first е → и. None if none applies.
fn push_cyrillic_variant(buf: &mut String, surname: &str) -> bool {
    if let Some(rest) = surname.strip_prefix('Ж') {
        buf.push_str("Дж");
        buf.push_str(rest);
        return true;
    }
    for (from, to) in [('ы', 'у'), ('е', 'и')] {
        if let Some(i) = surname.find(from) {
            buf.push_str(&surname[..i]);
            buf.push(to);
            buf.push_str(&surname[i + from.len_utf8()..]);
            return true;
        }
    }
    false
}

// --- Places --------------------------------------------------------------------

struct Region {
    code: &'static str,
    /// Districts (adjectives, "район" is appended), empty for the cities.
    districts: &'static [&'static str],
    /// Towns and settlements, as Soviet records name them.
    towns: &'static [&'static str],
    /// The regional archive of the security service.
    archive: &'static str,
    weight: u32,
}

const REGIONS: [Region; 20] = [
    Region {
        code: "KZ-10",
        districts: &["Жарминский", "Аягузский", "Абайский", "Бескарагайский", "Кокпектинский"],
        towns: &["г. Семипалатинск", "г. Аягуз", "с. Кокпекты"],
        archive: "Архив ДКНБ по области Абай",
        weight: 6,
    },
    Region {
        code: "KZ-11",
        districts: &["Акмолинский", "Атбасарский", "Макинский", "Шортандинский", "Щучинский"],
        towns: &["г. Акмолинск", "г. Кокчетав", "г. Атбасар", "г. Щучинск"],
        archive: "Архив ДКНБ по Акмолинской области",
        weight: 7,
    },
    Region {
        code: "KZ-15",
        districts: &["Мугоджарский", "Хромтауский", "Темирский", "Иргизский", "Уильский"],
        towns: &["г. Актюбинск", "г. Темир", "с. Иргиз"],
        archive: "Архив ДКНБ по Актюбинской области",
        weight: 5,
    },
    Region {
        code: "KZ-19",
        districts: &["Талгарский", "Енбекшиказахский", "Илийский", "Каскеленский", "Кегенский"],
        towns: &["г. Талгар", "с. Каскелен", "с. Иссык"],
        archive: "Архив ДКНБ по Алматинской области",
        weight: 7,
    },
    Region {
        code: "KZ-23",
        districts: &["Гурьевский", "Макатский", "Кзылкогинский", "Индерский"],
        towns: &["г. Гурьев", "пос. Доссор", "пос. Макат"],
        archive: "Архив ДКНБ по Атырауской области",
        weight: 3,
    },
    Region {
        code: "KZ-27",
        districts: &["Джамбейтинский", "Теректинский", "Чапаевский", "Бурлинский"],
        towns: &["г. Уральск", "с. Джамбейты"],
        archive: "Архив ДКНБ по Западно-Казахстанской области",
        weight: 4,
    },
    Region {
        code: "KZ-31",
        districts: &["Таласский", "Меркенский", "Сарысуский", "Чуйский", "Курдайский"],
        towns: &["г. Аулие-Ата", "г. Джамбул", "с. Мерке"],
        archive: "Архив ДКНБ по Жамбылской области",
        weight: 5,
    },
    Region {
        code: "KZ-33",
        districts: &["Талды-Курганский", "Аксуский", "Алакольский", "Саркандский", "Капальский"],
        towns: &["г. Талды-Курган", "г. Сарканд", "с. Капал"],
        archive: "Архив ДКНБ по области Жетісу",
        weight: 5,
    },
    Region {
        code: "KZ-35",
        districts: &["Каркаралинский", "Шетский", "Осакаровский", "Тельманский", "Нуринский"],
        towns: &["г. Караганда", "г. Каркаралинск", "пос. Долинка", "пос. Осакаровка"],
        archive: "Архив ДКНБ по Карагандинской области",
        weight: 9,
    },
    Region {
        code: "KZ-39",
        districts: &["Кустанайский", "Семиозерный", "Федоровский", "Мендыгаринский", "Джетыгаринский"],
        towns: &["г. Кустанай", "с. Семиозерное", "с. Федоровка"],
        archive: "Архив ДКНБ по Костанайской области",
        weight: 5,
    },
    Region {
        code: "KZ-43",
        districts: &["Казалинский", "Аральский", "Сырдарьинский", "Джалагашский", "Кармакчинский"],
        towns: &["г. Кзыл-Орда", "г. Казалинск", "г. Аральск"],
        archive: "Архив ДКНБ по Кызылординской области",
        weight: 4,
    },
    Region {
        code: "KZ-47",
        districts: &["Мангышлакский", "Бейнеуский", "Тупкараганский"],
        towns: &["пос. Форт-Шевченко", "пос. Бейнеу"],
        archive: "Архив ДКНБ по Мангистауской области",
        weight: 2,
    },
    Region {
        code: "KZ-55",
        districts: &["Баянаульский", "Иртышский", "Лебяжинский", "Щербактинский", "Павлодарский"],
        towns: &["г. Павлодар", "с. Баянаул", "с. Иртышск"],
        archive: "Архив ДКНБ по Павлодарской области",
        weight: 5,
    },
    Region {
        code: "KZ-59",
        districts: &["Булаевский", "Мамлютский", "Пресновский", "Соколовский", "Кзылтуский"],
        towns: &["г. Петропавловск", "с. Булаево", "с. Мамлютка"],
        archive: "Архив ДКНБ по Северо-Казахстанской области",
        weight: 5,
    },
    Region {
        code: "KZ-61",
        districts: &["Сайрамский", "Тюлькубасский", "Туркестанский", "Сузакский", "Арысский"],
        towns: &["г. Туркестан", "г. Арысь", "с. Ленгер", "с. Сайрам"],
        archive: "Архив ДКНБ по Туркестанской области",
        weight: 6,
    },
    Region {
        code: "KZ-62",
        districts: &["Улутауский", "Джезказганский", "Жана-Аркинский"],
        towns: &["пос. Джезказган", "пос. Кенгир", "с. Улутау"],
        archive: "Архив ДКНБ по области Ұлытау",
        weight: 2,
    },
    Region {
        code: "KZ-63",
        districts: &["Шемонаихинский", "Зыряновский", "Глубоковский", "Уланский", "Зайсанский"],
        towns: &["г. Усть-Каменогорск", "г. Риддер", "г. Зайсан", "пос. Зыряновск"],
        archive: "Архив ДКНБ по Восточно-Казахстанской области",
        weight: 6,
    },
    Region {
        code: "KZ-71", districts: &[], towns: &["г. Акмолинск"], archive: "Архив ДКНБ по г. Астане", weight: 3
    },
    Region {
        code: "KZ-75", districts: &[], towns: &["г. Алма-Ата"], archive: "Архив ДКНБ по г. Алматы", weight: 6
    },
    Region {
        code: "KZ-79", districts: &[], towns: &["г. Чимкент"], archive: "Архив ДКНБ по г. Шымкенту", weight: 3
    },
];

const KOLKHOZES: [&str; 12] = [
    "колхоз «Кзыл-Ту»",
    "колхоз «Трудовик»",
    "колхоз «Путь Ильича»",
    "колхоз «Красный Октябрь»",
    "колхоз «Енбек»",
    "колхоз «Жана-Турмыс»",
    "колхоз «Передовик»",
    "колхоз «Большевик»",
    "колхоз «Кзыл-Жар»",
    "колхоз «Заветы Ленина»",
    "колхоз «Социализм»",
    "колхоз «Жаналык»",
];

const KAZAKH_UYEZDS: [&str; 18] = [
    "Каркаралинский уезд",
    "Акмолинский уезд",
    "Павлодарский уезд",
    "Семипалатинский уезд",
    "Тургайский уезд",
    "Верненский уезд",
    "Перовский уезд",
    "Казалинский уезд",
    "Аулие-Атинский уезд",
    "Кустанайский уезд",
    "Лепсинский уезд",
    "Зайсанский уезд",
    "Усть-Каменогорский уезд",
    "Атбасарский уезд",
    "Иргизский уезд",
    "Уральский уезд",
    "Гурьевский уезд",
    "Чимкентский уезд",
];

/// Birthplaces of the other peoples: (village, province).
fn birthplace_lists(nation: Nation) -> (&'static [&'static str], &'static [&'static str]) {
    match nation {
        Nation::Kazakh => (&[], &KAZAKH_UYEZDS),
        Nation::Russian => (
            &[
                "с. Покровка",
                "с. Ивановка",
                "с. Никольское",
                "с. Михайловка",
                "с. Петровка",
                "с. Александровка",
                "с. Воскресенское",
                "с. Знаменка",
            ],
            &[
                "Тамбовская губерния",
                "Самарская губерния",
                "Саратовская губерния",
                "Воронежская губерния",
                "Пензенская губерния",
                "Курская губерния",
                "Рязанская губерния",
                "Оренбургская губерния",
                "Тобольская губерния",
                "Акмолинская область",
            ],
        ),
        Nation::Ukrainian => (
            &[
                "с. Богдановка",
                "с. Великая Михайловка",
                "с. Малиновка",
                "с. Сорочинцы",
                "с. Каменка",
                "с. Березовка",
                "с. Крутые Горбы",
            ],
            &[
                "Полтавская губерния",
                "Черниговская губерния",
                "Киевская губерния",
                "Харьковская губерния",
                "Екатеринославская губерния",
                "Подольская губерния",
            ],
        ),
        Nation::German => (
            &[
                "с. Мариенталь",
                "с. Зельман",
                "с. Бальцер",
                "с. Гнаденфельд",
                "с. Гальбштадт",
                "с. Гнадентал",
                "с. Розенталь",
                "с. Нейгофнунг",
            ],
            &[
                "Самарская губерния",
                "Саратовская губерния",
                "Таврическая губерния",
                "Екатеринославская губерния",
                "Волынская губерния",
            ],
        ),
        Nation::Korean => (
            &["с. Посьет", "с. Янчихе", "с. Сидими", "г. Владивосток", "г. Никольск-Уссурийский"],
            &["Приморская область", "Корея"],
        ),
        Nation::Polish => (
            &["с. Юзефовка", "с. Гута", "с. Казимировка", "с. Рудня", "с. Михайловка"],
            &["Волынская губерния", "Подольская губерния", "Киевская губерния", "Варшавская губерния"],
        ),
        Nation::Chechen => (
            &[
                "с. Шали",
                "с. Урус-Мартан",
                "с. Ведено",
                "с. Гудермес",
                "с. Ачхой-Мартан",
                "с. Старые Атаги",
                "с. Курчалой",
            ],
            &["Терская область"],
        ),
        Nation::Ingush => (
            &["с. Назрань", "с. Экажево", "с. Сурхахи", "с. Барсуки", "с. Кантышево", "с. Базоркино", "с. Галашки"],
            &["Терская область"],
        ),
    }
}

const CAMPS: [&str; 10] = [
    "Карлаг",
    "АЛЖИР",
    "Степлаг",
    "Песчанлаг",
    "Севвостлаг",
    "Устьвымлаг",
    "Сиблаг",
    "Темлаг",
    "Ухтижемлаг",
    "Норильлаг",
];

const OCCUPATIONS_M: [&str; 30] = [
    "колхозник",
    "единоличник",
    "рабочий",
    "учитель",
    "бухгалтер",
    "счетовод",
    "председатель колхоза",
    "председатель аулсовета",
    "мулла",
    "скотовод",
    "чабан",
    "кузнец",
    "агроном",
    "ветврач",
    "врач",
    "инженер",
    "служащий",
    "тракторист",
    "шахтёр",
    "железнодорожник",
    "сторож",
    "бригадир",
    "продавец",
    "студент",
    "без определённых занятий",
    "заведующий складом",
    "милиционер",
    "секретарь райкома",
    "литератор",
    "журналист",
];

const OCCUPATIONS_F: [&str; 10] = [
    "колхозница",
    "учительница",
    "домохозяйка",
    "швея",
    "служащая",
    "медсестра",
    "рабочая",
    "доярка",
    "бухгалтер",
    "студентка",
];

// --- Cases ---------------------------------------------------------------------

/// Every vocabulary code the generator uses (checked against `--from`).
const BODIES: [&str; 11] = [
    "collegium-ogpu",
    "troika-ogpu",
    "oso",
    "troika-nkvd",
    "troika-militia",
    "dvoika",
    "special-troika",
    "vkvs",
    "military-tribunal",
    "special-collegium",
    "court",
];
const SENTENCES: [&str; 10] = [
    "execution",
    "camp",
    "prison",
    "exile",
    "banishment",
    "deportation",
    "special-settlement",
    "labour-army",
    "disenfranchisement",
    "confiscation",
];
const FATES: [&str; 9] = [
    "executed",
    "died-in-custody",
    "died-during-investigation",
    "died-in-exile",
    "released",
    "case-dismissed",
    "acquitted",
    "escaped",
    "unknown",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sentence {
    None,
    Execution,
    Camp,
    Prison,
    Exile,
    Banishment,
    Deportation,
    SpecialSettlement,
    LabourArmy,
    Disenfranchisement,
    Confiscation,
}

impl Sentence {
    fn code(self) -> &'static str {
        match self {
            Sentence::None => "",
            Sentence::Execution => "execution",
            Sentence::Camp => "camp",
            Sentence::Prison => "prison",
            Sentence::Exile => "exile",
            Sentence::Banishment => "banishment",
            Sentence::Deportation => "deportation",
            Sentence::SpecialSettlement => "special-settlement",
            Sentence::LabourArmy => "labour-army",
            Sentence::Disenfranchisement => "disenfranchisement",
            Sentence::Confiscation => "confiscation",
        }
    }

    /// Measures imposed by decree or by administrative order, without a body
    /// that sentenced the person and without a charge.
    fn administrative(self) -> bool {
        matches!(self, Sentence::SpecialSettlement | Sentence::LabourArmy | Sentence::Disenfranchisement)
    }
}

/// One case, written into reusable buffers.
#[derive(Default)]
struct CaseBuf {
    region: usize,
    occupation: &'static str,
    residence: String,
    district: String,
    arrest_date: String,
    charge: String,
    sentenced_by: &'static str,
    sentence_date: String,
    sentence: &'static str,
    sentence_years: String,
    fate: &'static str,
    rehabilitation_date: String,
    rehabilitated_by: &'static str,
    archive: String,
    status: &'static str,
}

impl CaseBuf {
    fn clear(&mut self) {
        self.residence.clear();
        self.district.clear();
        self.arrest_date.clear();
        self.charge.clear();
        self.sentence_date.clear();
        self.sentence_years.clear();
        self.rehabilitation_date.clear();
        self.archive.clear();
    }
}

/// One person, written into reusable buffers.
#[derive(Default)]
struct PersonBuf {
    id: String,
    surname: String,
    given: String,
    patronymic: String,
    surname_kk: String,
    given_kk: String,
    patronymic_kk: String,
    surname_en: String,
    given_en: String,
    patronymic_en: String,
    variants: String,
    female: bool,
    birth_date: String,
    birth_place: String,
    nationality: &'static str,
    death_date: String,
    death_place: String,
    cases: [CaseBuf; 2],
    case_count: usize,
    /// Years of birth and of the first arrest, for biographies.
    birth_year: Option<i64>,
    arrest_year: i64,
}

impl PersonBuf {
    fn clear(&mut self) {
        for s in [
            &mut self.id,
            &mut self.surname,
            &mut self.given,
            &mut self.patronymic,
            &mut self.surname_kk,
            &mut self.given_kk,
            &mut self.patronymic_kk,
            &mut self.surname_en,
            &mut self.given_en,
            &mut self.patronymic_en,
            &mut self.variants,
            &mut self.birth_date,
            &mut self.birth_place,
            &mut self.death_date,
            &mut self.death_place,
        ] {
            s.clear();
        }
        for c in &mut self.cases {
            c.clear();
        }
    }
}

/// What the generator decided about a case, before it is written.
struct CasePlan {
    arrest_day: i64,
    sentence: Sentence,
}

/// How a written case ended.
struct CaseOutcome {
    /// The person's death (day, precision, place), if the case ended in it.
    death: Option<(i64, Precision, Option<&'static str>)>,
    /// The day of release or the end of the term (for a second arrest).
    end_day: i64,
}

/// Draws a person: names, birth, cases.
fn make_person(p: &mut PersonBuf, rng: &mut Rng, index: usize, width: usize) {
    p.clear();
    let _ = write!(p.id, "f{:0width$}", index + 1);
    let weights: [u32; 8] = NATIONS.map(|(_, w)| w);
    let nation = NATIONS[rng.weighted(&weights)].0;
    let female_share = match nation {
        // Whole families were deported; women are more often in their records.
        Nation::Chechen | Nation::Ingush | Nation::German | Nation::Korean => 25.0,
        _ => 14.0,
    };
    p.female = rng.chance(female_share);
    make_name(p, rng, nation);
    if !rng.chance(8.0) {
        p.nationality = nation.nationality(p.female);
    } else {
        p.nationality = "";
    }
    p.case_count = if rng.chance(5.0) { 2 } else { 1 };

    // The first arrest fixes the birth year: at least 16 years old.
    let plan1 = plan_first_arrest(rng, nation, p.case_count == 2);
    let arrest_year = year_of(plan1.arrest_day);
    p.arrest_year = arrest_year;
    let birth_year = rng.range((arrest_year - 70).max(1870), (arrest_year - 16).min(1925));
    let birth_day = day_in_year(rng, birth_year);
    p.birth_year = None;
    if !rng.chance(4.0) {
        let precision = match rng.below(100) {
            0..=59 => Precision::Year,
            60..=74 => Precision::Month,
            _ => Precision::Day,
        };
        push_date(&mut p.birth_date, birth_day, precision, rng.chance(5.0));
        p.birth_year = Some(birth_year);
    }
    if !rng.chance(12.0) {
        push_birthplace(&mut p.birth_place, rng, nation);
    }

    let home = pick_region(rng, nation);
    let mut plan = plan1;
    let mut death = None;
    for i in 0..p.case_count {
        let region = if i == 1 && rng.chance(30.0) { pick_region(rng, nation) } else { home };
        let last = i + 1 == p.case_count;
        let outcome = write_case(&mut p.cases[i], rng, nation, p.female, region, &plan, last);
        death = outcome.death;
        if !last {
            plan = plan_second_arrest(rng, nation, outcome.end_day);
        }
    }
    if let Some((day, precision, place)) = death {
        push_date(&mut p.death_date, day, precision, false);
        if let Some(place) = place {
            p.death_place.push_str(place);
        }
    }
}

fn pick_region(rng: &mut Rng, nation: Nation) -> usize {
    let favoured = nation.favoured_regions();
    let weights: [u32; 20] = std::array::from_fn(|i| {
        let r = &REGIONS[i];
        if favoured.contains(&r.code) {
            r.weight * 4
        } else {
            r.weight
        }
    });
    rng.weighted(&weights)
}

fn make_name(p: &mut PersonBuf, rng: &mut Rng, nation: Nation) {
    let female = p.female;
    if let Some(people) = nation.people() {
        let (surname, latin) = rng.pick(people.surnames);
        let given = if female { rng.pick(people.female) } else { rng.pick(people.male) };
        push_surname(&mut p.surname, surname, female);
        p.given.push_str(given);
        let skip_patronymic = match nation {
            Nation::Korean => 30.0,
            Nation::German | Nation::Polish => 15.0,
            _ => 8.0,
        };
        if !rng.chance(skip_patronymic) {
            push_patronymic(&mut p.patronymic, rng.pick(people.fathers), female);
        }
        if rng.chance(6.0) {
            if latin.is_empty() || female && latin.ends_with("ski") {
                push_passport_latin(&mut p.variants, &p.surname);
            } else {
                p.variants.push_str(latin);
            }
        }
    } else {
        let (archive, kk, root, archive_root) = rng.pick(&KAZAKH_SURNAMES);
        let (given, given_kk) = if female { rng.pick(&KAZAKH_FEMALE) } else { rng.pick(&KAZAKH_MALE) };
        push_surname(&mut p.surname, archive, female);
        p.given.push_str(given);
        // The father: often the one the surname was made from.
        let father_from_root = rng.chance(35.0);
        let (father, father_kk) = if father_from_root { (archive_root, root) } else { rng.pick(&KAZAKH_MALE) };
        if !rng.chance(20.0) {
            push_patronymic(&mut p.patronymic, father, female);
        }
        let suffix = if female { "қызы" } else { "ұлы" };
        if rng.chance(60.0) {
            p.given_kk.push_str(given_kk);
            if rng.chance(50.0) {
                // Байтұрсынұлы Ахмет
                p.surname_kk.push_str(root);
                p.surname_kk.push_str(suffix);
                if !father_from_root && rng.chance(50.0) {
                    p.patronymic_kk.push_str(father_kk);
                    p.patronymic_kk.push_str(suffix);
                }
            } else {
                // Байтұрсынов Ахмет Шайхыұлы
                push_surname(&mut p.surname_kk, kk, female);
                if rng.chance(70.0) {
                    p.patronymic_kk.push_str(father_kk);
                    p.patronymic_kk.push_str(suffix);
                }
            }
        }
        if rng.chance(10.0) {
            let mut latin = String::new();
            push_passport_latin(&mut latin, &p.surname);
            p.variants.push_str(&latin);
            let mut cyrillic = String::new();
            if push_cyrillic_variant(&mut cyrillic, &p.surname) && cyrillic != p.surname {
                p.variants.push('|');
                p.variants.push_str(&cyrillic);
            }
        }
    }
    if rng.chance(3.0) {
        let romanize = crate::names::romanize::romanize;
        let pick = |kk: &str, archive: &str| {
            if kk.is_empty() {
                romanize(archive)
            } else {
                romanize(kk)
            }
        };
        p.surname_en = pick(&p.surname_kk, &p.surname);
        p.given_en = pick(&p.given_kk, &p.given);
        p.patronymic_en = pick(&p.patronymic_kk, &p.patronymic);
    }
}

fn push_birthplace(buf: &mut String, rng: &mut Rng, nation: Nation) {
    let (villages, provinces) = birthplace_lists(nation);
    if nation == Nation::Kazakh {
        let _ = write!(buf, "аул № {}, {}", rng.range(1, 15), rng.pick(&KAZAKH_UYEZDS));
        return;
    }
    let province = rng.pick(provinces);
    if province == "Корея" || rng.chance(25.0) {
        buf.push_str(province);
    } else {
        buf.push_str(rng.pick(villages));
        buf.push_str(", ");
        buf.push_str(province);
    }
}

/// The first arrest: its year follows the waves of repression that struck the
/// person's people. The first of two cases ends in release before the second.
fn plan_first_arrest(rng: &mut Rng, nation: Nation, first_of_two: bool) -> CasePlan {
    let (lo, hi) = if first_of_two {
        match nation {
            Nation::Kazakh | Nation::Russian | Nation::Ukrainian => (1928, 1936),
            Nation::Polish => (1936, 1940),
            Nation::Korean => (1937, 1940),
            Nation::German => (1941, 1943),
            Nation::Chechen | Nation::Ingush => (1944, 1946),
        }
    } else {
        let windows = nation.arrest_years();
        let weights: Vec<u32> = windows.iter().map(|w| w.2).collect();
        let (lo, hi, _) = windows[rng.weighted(&weights)];
        (lo, hi)
    };
    let year = rng.range(lo, hi);
    let arrest_day = day_in_year(rng, year);
    let sentence = if first_of_two {
        match nation {
            Nation::German => Sentence::LabourArmy,
            Nation::Chechen | Nation::Ingush => Sentence::SpecialSettlement,
            _ => rng.pick(&[
                Sentence::Camp,
                Sentence::Camp,
                Sentence::Exile,
                Sentence::Banishment,
                Sentence::Deportation,
            ]),
        }
    } else {
        choose_sentence(rng, nation, year)
    };
    let arrest_day = match (sentence, nation) {
        // The Chechens and Ingush were deported on 23 February 1944 and the
        // days after.
        (Sentence::SpecialSettlement, Nation::Chechen | Nation::Ingush) => {
            days_from_civil(1944, 2, 23) + rng.range(0, 13)
        }
        _ => arrest_day,
    };
    CasePlan { arrest_day, sentence }
}

/// A second arrest, after the end of the first case (the "repeaters" of the
/// late 1930s and of 1948–1949).
fn plan_second_arrest(rng: &mut Rng, nation: Nation, end_day: i64) -> CasePlan {
    let earliest = end_day + 30;
    let last_day = days_from_civil(1953, 12, 31);
    let lo = (year_of(earliest) + 1).min(1953);
    let year = rng.range(lo, 1953);
    let arrest_day = day_in_year(rng, year).max(earliest).min(last_day);
    let sentence = match choose_sentence(rng, nation, year) {
        // Deportation happened once; a later case is a sentence.
        Sentence::SpecialSettlement => Sentence::Camp,
        s => s,
    };
    CasePlan { arrest_day, sentence }
}

fn choose_sentence(rng: &mut Rng, nation: Nation, year: i64) -> Sentence {
    use Sentence::*;
    if rng.chance(4.0) {
        return None;
    }
    match nation {
        Nation::German if (1941..=1946).contains(&year) && rng.chance(40.0) => {
            return LabourArmy;
        }
        Nation::Chechen | Nation::Ingush if rng.chance(35.0) => return SpecialSettlement,
        _ => {}
    }
    let table: &[(Sentence, u32)] = match year {
        1928..=1933 => &[
            (Execution, 20),
            (Camp, 35),
            (Exile, 8),
            (Banishment, 7),
            (Deportation, 20),
            (Confiscation, 5),
            (Disenfranchisement, 5),
        ],
        1937..=1938 => &[(Execution, 50), (Camp, 44), (Exile, 4), (Prison, 2)],
        _ => &[(Execution, 10), (Camp, 70), (Exile, 10), (Prison, 5), (Banishment, 5)],
    };
    let weights: Vec<u32> = table.iter().map(|t| t.1).collect();
    table[rng.weighted(&weights)].0
}

fn body_for(rng: &mut Rng, sentence: Sentence, year: i64) -> &'static str {
    if sentence.administrative() {
        return "";
    }
    let table: &[(&str, u32)] = match (sentence, year) {
        (Sentence::Execution, ..=1934) => &[("troika-ogpu", 60), ("collegium-ogpu", 40)],
        (Sentence::Execution, 1937..=1938) => &[("troika-nkvd", 75), ("dvoika", 10), ("vkvs", 15)],
        (Sentence::Execution, _) => &[("military-tribunal", 50), ("vkvs", 30), ("special-collegium", 20)],
        (Sentence::Deportation, _) => &[("troika-ogpu", 70), ("collegium-ogpu", 30)],
        (Sentence::Exile | Sentence::Banishment, ..=1934) => {
            &[("troika-ogpu", 50), ("collegium-ogpu", 30), ("oso", 20)]
        }
        (Sentence::Exile | Sentence::Banishment, _) => &[("oso", 80), ("troika-nkvd", 20)],
        (_, ..=1934) => &[("troika-ogpu", 50), ("collegium-ogpu", 25), ("court", 25)],
        (_, 1935..=1936) => &[("oso", 40), ("special-collegium", 35), ("court", 25)],
        (_, 1937..=1938) => {
            &[("troika-nkvd", 70), ("troika-militia", 10), ("oso", 10), ("vkvs", 5), ("special-troika", 5)]
        }
        _ => &[("oso", 40), ("military-tribunal", 25), ("special-collegium", 20), ("court", 15)],
    };
    let weights: Vec<u32> = table.iter().map(|t| t.1).collect();
    table[rng.weighted(&weights)].0
}

const ARTICLES: [&str; 10] = ["58-10", "58-11", "58-2", "58-6", "58-7", "58-8", "58-9", "58-14", "58-1а", "58-4"];

fn push_charge(buf: &mut String, rng: &mut Rng, nation: Nation, year: i64) {
    if matches!(nation, Nation::Chechen | Nation::Ingush) && year >= 1949 && rng.chance(40.0) {
        buf.push_str("побег с места обязательного поселения (Указ ПВС СССР от 26.11.1948)");
        return;
    }
    if year <= 1933 && rng.chance(15.0) {
        buf.push_str(rng.pick(&["59-3", "61", "107", "59-3, 58-10"]));
        return;
    }
    let first = rng.pick(&ARTICLES);
    buf.push_str(first);
    if rng.chance(35.0) {
        let second = rng.pick(&ARTICLES);
        if second != first {
            buf.push_str(", ");
            buf.push_str(second);
        }
    }
}

/// Writes a case; says how it ended.
fn write_case(
    c: &mut CaseBuf,
    rng: &mut Rng,
    nation: Nation,
    female: bool,
    region: usize,
    plan: &CasePlan,
    last: bool,
) -> CaseOutcome {
    let r = &REGIONS[region];
    c.region = region;
    let arrest_year = year_of(plan.arrest_day);
    c.occupation = if rng.chance(18.0) {
        ""
    } else if nation == Nation::Kazakh && arrest_year <= 1931 && !female && rng.chance(25.0) {
        rng.pick(&["бай", "бывший бай", "бывший волостной управитель"])
    } else if female {
        rng.pick(&OCCUPATIONS_F)
    } else {
        rng.pick(&OCCUPATIONS_M)
    };
    if !r.districts.is_empty() && !rng.chance(20.0) {
        c.district.push_str(rng.pick(r.districts));
        c.district.push_str(" район");
    }
    if !rng.chance(10.0) {
        match rng.below(10) {
            0..=4 => c.residence.push_str(rng.pick(r.towns)),
            5..=7 if !r.districts.is_empty() => c.residence.push_str(rng.pick(&KOLKHOZES)),
            _ if !r.districts.is_empty() && nation == Nation::Kazakh => {
                let _ = write!(c.residence, "аул № {}", rng.range(1, 20));
            }
            _ => c.residence.push_str(rng.pick(r.towns)),
        }
    }
    if !rng.chance(4.0) {
        push_date(&mut c.arrest_date, plan.arrest_day, event_precision(rng), false);
    }
    let sentence = plan.sentence;
    if !sentence.administrative() && sentence != Sentence::None && !rng.chance(8.0) {
        push_charge(&mut c.charge, rng, nation, arrest_year);
    }
    let sentence_day = plan.arrest_day + rng.range(10, 240);
    let sentence_year = year_of(sentence_day);
    c.sentenced_by = if rng.chance(7.0) { "" } else { body_for(rng, sentence, sentence_year) };
    if sentence != Sentence::None && !rng.chance(6.0) {
        push_date(&mut c.sentence_date, sentence_day, event_precision(rng), false);
    }
    c.sentence = sentence.code();
    let years: i64 = match sentence {
        Sentence::Camp if sentence_year >= 1947 => rng.pick(&[5, 8, 10, 10, 15, 20, 25]),
        Sentence::Camp if !last => rng.pick(&[3, 3, 5]),
        Sentence::Camp => rng.pick(&[3, 5, 5, 8, 10, 10]),
        Sentence::Prison => rng.pick(&[3, 5, 8, 10]),
        Sentence::Exile | Sentence::Banishment => rng.pick(&[3, 3, 5, 5, 10]),
        _ => 0,
    };
    if years > 0 && !rng.chance(5.0) {
        let _ = write!(c.sentence_years, "{years}");
    }
    // The end of the term, for a second arrest after it.
    let end_day = match sentence {
        Sentence::LabourArmy => days_from_civil(1946, 1, 1) + rng.range(0, 300),
        Sentence::SpecialSettlement | Sentence::Deportation => sentence_day + rng.range(365, 3 * 365),
        _ => sentence_day + years.max(1) * 365,
    };

    let mut death = None;
    let fate = if !last {
        // A first case ends before the second arrest.
        if sentence == Sentence::SpecialSettlement {
            ""
        } else {
            "released"
        }
    } else {
        let (fate, died) = choose_fate(rng, sentence, female);
        if let Some(place_kind) = died {
            let day = match sentence {
                Sentence::Execution => sentence_day + rng.range(0, 20),
                Sentence::None => plan.arrest_day + rng.range(5, 120),
                _ => sentence_day + rng.range(60, (years.max(2) * 365).min(8 * 365)),
            };
            let precision = if sentence == Sentence::Execution {
                rng.pick(&[Precision::Day, Precision::Day, Precision::Day, Precision::Month])
            } else {
                event_precision(rng)
            };
            let place = match place_kind {
                DeathPlace::Town if rng.chance(60.0) => Some(rng.pick(r.towns)),
                DeathPlace::Camp if rng.chance(60.0) => Some(rng.pick(&CAMPS)),
                DeathPlace::Exile if rng.chance(40.0) => Some(rng.pick(r.towns)),
                _ => None,
            };
            death = Some((day, precision, place));
        }
        fate
    };
    c.fate = fate;

    // Rehabilitation, in the waves in which it came.
    let earliest = (sentence_year + 1).max(1954);
    let (lo, hi, bodies): (i64, i64, &[&str]) = match rng.below(100) {
        0..=34 => (
            1954,
            1962,
            &[
                "Военная коллегия Верховного суда СССР",
                "Верховный суд Казахской ССР",
                "Прокуратура Казахской ССР",
                "Военный трибунал Туркестанского военного округа",
            ],
        ),
        35..=39 => (1963, 1987, &["Верховный суд Казахской ССР", "Прокуратура Казахской ССР"]),
        40..=74 => (
            1988,
            1991,
            &[
                "Указ Президиума Верховного Совета СССР от 16 января 1989 года",
                "Прокуратура Казахской ССР",
                "Верховный суд Казахской ССР",
            ],
        ),
        75..=84 => {
            (1992, 2019, &["Генеральная прокуратура Республики Казахстан", "Верховный суд Республики Казахстан"])
        }
        _ => (2020, 2023, &["Государственная комиссия по полной реабилитации жертв политических репрессий"]),
    };
    if !rng.chance(8.0) {
        let year = rng.range(lo.max(earliest), hi.max(earliest));
        let precision = rng.pick(&[Precision::Day, Precision::Day, Precision::Month, Precision::Year]);
        push_date(&mut c.rehabilitation_date, day_in_year(rng, year), precision, false);
        c.rehabilitated_by = if rng.chance(10.0) { "" } else { rng.pick(bodies) };
    } else {
        c.rehabilitated_by = "";
    }

    match rng.below(100) {
        0..=59 => {
            let _ = write!(
                c.archive,
                "Архив КНБ РК, ф. {}, оп. {}, д. {}, л. {}",
                rng.range(1, 20),
                rng.range(1, 5),
                rng.range(10_000, 99_999),
                Pages(rng.range(1, 200), rng.range(2, 60))
            );
        }
        60..=84 => {
            let _ = write!(c.archive, "{}, д. П-{}", r.archive, rng.range(1_000, 49_999));
        }
        85..=94 => {
            let _ = write!(
                c.archive,
                "Архив Президента РК, ф. 719, оп. {}, д. {}, л. {}",
                rng.range(1, 9),
                rng.range(100, 9_999),
                Pages(rng.range(1, 100), rng.range(2, 30))
            );
        }
        _ => {}
    }
    c.status = match rng.below(100) {
        0..=89 => "verified",
        90..=97 => "unverified",
        _ => "disputed",
    };
    CaseOutcome { death, end_day }
}

/// A sheet range `12-31` of an archive file.
struct Pages(i64, i64);

impl std::fmt::Display for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.0, self.0 + self.1)
    }
}

enum DeathPlace {
    Town,
    Camp,
    Exile,
}

/// The outcome of a case that matches its sentence; the second value says
/// whether (and where) the person died.
fn choose_fate(rng: &mut Rng, sentence: Sentence, female: bool) -> (&'static str, Option<DeathPlace>) {
    use DeathPlace::*;
    let x = rng.below(100);
    match sentence {
        Sentence::Execution => ("executed", Some(Town)),
        Sentence::Camp | Sentence::Prison => match x {
            0..=29 => ("died-in-custody", Some(Camp)),
            30..=69 => ("released", None),
            70 if !female => ("escaped", None),
            _ => ("unknown", None),
        },
        Sentence::Exile | Sentence::Banishment | Sentence::Deportation | Sentence::SpecialSettlement => match x {
            0..=24 => ("died-in-exile", Some(Exile)),
            25..=69 => ("released", None),
            _ => ("unknown", None),
        },
        Sentence::LabourArmy => match x {
            0..=24 => ("died-in-custody", Some(Exile)),
            25..=79 => ("released", None),
            _ => ("unknown", None),
        },
        Sentence::Disenfranchisement | Sentence::Confiscation => match x {
            0..=59 => ("unknown", None),
            _ => ("released", None),
        },
        Sentence::None => match x {
            0..=59 => ("case-dismissed", None),
            60..=84 => ("died-during-investigation", Some(Town)),
            _ => ("acquitted", None),
        },
    }
}

// --- Writing the records ---------------------------------------------------------

/// Appends a comma and a CSV field, quoted if it has to be (RFC 4180).
fn push_field(line: &mut String, value: &str) {
    line.push(',');
    if value.contains([',', '"', '\n', '\r']) {
        line.push('"');
        for c in value.chars() {
            if c == '"' {
                line.push('"');
            }
            line.push(c);
        }
        line.push('"');
    } else {
        line.push_str(value);
    }
}

/// Appends the row of case `i` of `p`. Person fields are written on the first
/// case; on the second they are left empty or repeated (`repeat`).
fn push_row(line: &mut String, p: &PersonBuf, i: usize, repeat: bool, source: &str) {
    let c = &p.cases[i];
    let person = i == 0 || repeat;
    line.clear();
    line.push_str(&p.id);
    // The archive name is repeated on every row: editors do so, and a second
    // row without it would be hard to read.
    push_field(line, &p.surname);
    push_field(line, &p.given);
    let person_fields: [&str; 14] = [
        &p.patronymic,
        &p.surname_kk,
        &p.given_kk,
        &p.patronymic_kk,
        &p.surname_en,
        &p.given_en,
        &p.patronymic_en,
        &p.variants,
        if p.female { "f" } else { "m" },
        &p.birth_date,
        &p.birth_place,
        p.nationality,
        &p.death_date,
        &p.death_place,
    ];
    for v in &person_fields[..12] {
        push_field(line, if person { v } else { "" });
    }
    push_field(line, c.occupation);
    push_field(line, &c.residence);
    push_field(line, REGIONS[c.region].code);
    push_field(line, &c.district);
    push_field(line, &c.arrest_date);
    push_field(line, &c.charge);
    push_field(line, c.sentenced_by);
    push_field(line, &c.sentence_date);
    push_field(line, c.sentence);
    push_field(line, &c.sentence_years);
    push_field(line, c.fate);
    for v in &person_fields[12..] {
        push_field(line, if person { v } else { "" });
    }
    push_field(line, &c.rehabilitation_date);
    push_field(line, c.rehabilitated_by);
    push_field(line, &c.archive);
    push_field(line, source);
    push_field(line, c.status);
    line.push('\n');
}

/// The header of a record file: every column, in the order of the published CSV.
fn header() -> String {
    let names: Vec<&str> = crate::records::columns::ALL.iter().map(|c| c.name()).collect();
    let mut h = names.join(",");
    h.push('\n');
    h
}

/// Draws every person and writes the record files, one per region, and the
/// biographies.
fn write_people(o: &FixtureOptions, stats: &mut FixtureStats) -> Result<(), String> {
    let dir = o.out.join("data/records");
    fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
    let header = header();
    let source = format!("Fictitious record generated by esim fixture (seed {})", o.seed);
    let width = o.people.to_string().len().max(7);
    let mut files: Vec<Option<(PathBuf, BufWriter<fs::File>)>> = REGIONS.iter().map(|_| None).collect();
    let mut person = PersonBuf::default();
    let mut line = String::with_capacity(1024);
    let mut bio = String::with_capacity(4096);
    for index in 0..o.people {
        let mut rng = Rng::stream(o.seed, index as u64, 0);
        make_person(&mut person, &mut rng, index, width);
        for i in 0..person.case_count {
            let repeat = i == 1 && rng.chance(30.0);
            push_row(&mut line, &person, i, repeat, &source);
            let region = person.cases[i].region;
            if files[region].is_none() {
                let path = dir.join(format!("{}.csv", REGIONS[region].code));
                let file = fs::File::create(&path).map_err(|e| io_error(&path, e))?;
                let mut w = BufWriter::with_capacity(1 << 16, file);
                w.write_all(header.as_bytes()).map_err(|e| io_error(&path, e))?;
                files[region] = Some((path, w));
                stats.files += 1;
            }
            if let Some((path, w)) = &mut files[region] {
                w.write_all(line.as_bytes()).map_err(|e| io_error(path, e))?;
            }
            stats.cases += 1;
        }
        // A separate stream, so that biographies do not change the records.
        let mut bio_rng = Rng::stream(o.seed, index as u64, 1);
        if bio_rng.chance(1.0) {
            // A non-empty subset of the languages.
            let mask = bio_rng.range(1, 7);
            for (bit, lang) in LANGUAGES.iter().enumerate() {
                if mask & (1 << bit) == 0 {
                    continue;
                }
                biography(&mut bio, &person, lang, o.seed, &source);
                let path = o.out.join(format!("content/people/{}.{lang}.md", person.id));
                write_file(&path, &bio, stats)?;
                stats.biographies += 1;
            }
        }
    }
    for (path, mut w) in files.into_iter().flatten() {
        w.flush().map_err(|e| io_error(&path, e))?;
    }
    Ok(())
}

/// The person's name as a page in `lang` shows it (given name first).
fn display_name(p: &PersonBuf, lang: &str) -> String {
    let or = |a: &str, b: &str| if a.is_empty() { b } else { a }.to_string();
    match lang {
        "kk" => format!("{} {}", or(&p.given_kk, &p.given), or(&p.surname_kk, &p.surname)),
        "en" => {
            let romanize = crate::names::romanize::romanize;
            let part = |en: &str, kk: &str, archive: &str| {
                if !en.is_empty() {
                    en.to_string()
                } else {
                    romanize(or(kk, archive).as_str())
                }
            };
            format!("{} {}", part(&p.given_en, &p.given_kk, &p.given), part(&p.surname_en, &p.surname_kk, &p.surname))
        }
        _ => {
            let mut s = format!("{} {}", p.given, p.surname);
            if !p.patronymic.is_empty() {
                s = format!("{} {} {}", p.given, p.patronymic, p.surname);
            }
            s
        }
    }
}

/// Writes a plainly fictitious biography of `p` in `lang` into `buf`.
fn biography(buf: &mut String, p: &PersonBuf, lang: &str, seed: u64, source: &str) {
    buf.clear();
    let name = display_name(p, lang);
    let arrest = p.arrest_year;
    let authors = match lang {
        "kk" => "esim fixture бағдарламасы",
        "ru" => "программа esim fixture",
        _ => "esim fixture",
    };
    let _ = write!(buf, "+++\nauthors = [\"{authors}\"]\nsources = [\"{source}\"]\n+++\n\n");
    let second = p.case_count == 2;
    let _ = match lang {
        "kk" => {
            let born = match p.birth_year {
                Some(y) => format!("{y} жылы туған"),
                None => "туған жылы белгісіз".to_string(),
            };
            write!(
                buf,
                "Бұл өмірбаян ойдан шығарылған. Оны естелік кітабының беттерін тексеру үшін esim fixture бағдарламасы (seed {seed}) жазды: {name} деген адам болмаған, мұнда ешбір нақты адам туралы айтылмайды.\n\n\
                 ## Ойдан шығарылған өмір\n\n\
                 Ойдан шығарылған жазба бойынша {name} {born}, алғаш рет {arrest} жылы қамауға алынған.{} Күндер, жерлер мен істің нәтижесі нақты жазбалардағы шектерде кездейсоқ таңдалды.\n\n\
                 ## Бұл бет не үшін керек\n\n\
                 Жүздеген мың адамның есімі бар естелік кітабын сонша адаммен тексеру керек. Сынақ өмірбаяндары адам бетіндегі тақырыптардың, абзацтардың және тілдер арасындағы сілтемелердің дұрыс жұмыс істейтінін көрсетеді.\n",
                if second { " Жазбада кейінгі екінші іс те бар." } else { "" }
            )
        }
        "ru" => {
            let f = p.female;
            let born = match p.birth_year {
                Some(y) => format!("{} в {y} году", if f { "родилась" } else { "родился" }),
                None => "год рождения неизвестен".to_string(),
            };
            write!(
                buf,
                "Эта биография вымышлена. Её написала программа esim fixture (seed {seed}), чтобы проверить страницы книги памяти: {name} никогда не {}, и ничто здесь не относится к реальному человеку.\n\n\
                 ## Выдуманная жизнь\n\n\
                 По вымышленной записи: {name}, {born}; впервые {} в {arrest} году.{} Даты, места и исход дела выбраны случайно, в тех пределах, какие бывают в настоящих записях.\n\n\
                 ## Зачем эта страница\n\n\
                 Книгу памяти с сотнями тысяч имён нужно проверять на стольких же людях. Вымышленные биографии показывают, правильно ли работают заголовки, абзацы и ссылки между языками на странице человека.\n",
                if f { "жила" } else { "жил" },
                if f { "арестована" } else { "арестован" },
                if second { " В записи есть и второе, более позднее дело." } else { "" }
            )
        }
        _ => {
            let born = match p.birth_year {
                Some(y) => format!("was born in {y}"),
                None => "was born in an unknown year".to_string(),
            };
            write!(
                buf,
                "This biography is fictitious. It was written by a program, esim fixture (seed {seed}), to test the pages of the memorial book: {name} never lived, and nothing here is about a real person.\n\n\
                 ## An invented life\n\n\
                 The invented record says that {name} {born} and was first arrested in {arrest}.{} The dates, places and outcome were drawn at random, within the ranges that real records have.\n\n\
                 ## Why this page exists\n\n\
                 A memorial book of hundreds of thousands of people has to be tested with as many. Fixture biographies show whether headings, paragraphs and the links between languages work on a person's page.\n",
                if second { " The record has a second, later case." } else { "" }
            )
        }
    };
}

/// One language of an essay: (language, title, summary, body).
type EssayText = (&'static str, &'static str, &'static str, &'static str);

/// The three essays of the fixture, in every language: (slug, language, file).
fn essays() -> Vec<(&'static str, &'static str, String)> {
    let essays: [(&str, u32, [EssayText; 3]); 3] = [
        (
            "fixture-about",
            1,
            [
                (
                    "kk",
                    "Бұл сынақ жинағы туралы",
                    "Бұл сайт сынақ үшін жасалған: ондағы адамдар, жазбалар мен өмірбаяндар ойдан шығарылған.",
                    "Бұл сайтты esim статикалық сайт генераторын тексеру үшін адамдарды ойдан шығаратын esim fixture бағдарламасы жазды. Мұндағы адамдардың ешқайсысы өмір сүрмеген. Олардың есімдері жиі кездесетін тегтер мен есімдердің тізімдерінен құралған, ал күндері, жерлері мен үкімдері кездейсоқ таңдалған.\n\n## Не үшін керек\n\nЕстелік кітабы жүздеген мың адаммен жұмыс істеуі тиіс: сайт ақылға қонымды уақытта жиналуы, әр өңірдің тізімі әр тілдің әліпбиі бойынша сұрыпталуы, адам есімінің кез келген жазылуы бойынша табылуы керек. Сол көлемдегі сынақ жинағы мұның бәрін ешкімнің нақты жазбасына тимей тексереді.\n\n## Не емес\n\nБұл дереккөз емес. Мұндағы ештеңеге сілтеме жасауға болмайды, одан алынған ешбір сан ештеңені білдірмейді.\n",
                ),
                (
                    "ru",
                    "Об этом тестовом наборе",
                    "Этот сайт — тестовый набор: люди, записи и биографии в нём вымышлены.",
                    "Этот сайт написала программа esim fixture, которая придумывает людей для проверки генератора статических сайтов esim. Никого из этих людей не существовало. Их имена составлены из списков распространённых фамилий и имён, а даты, места и приговоры выбраны случайно.\n\n## Зачем он нужен\n\nКнига памяти должна работать для сотен тысяч людей: собираться за разумное время, сортировать каждый региональный указатель по алфавиту своего языка и находить человека по любому написанию имени. Тестовый набор того же размера проверяет всё это, не касаясь ничьей настоящей записи.\n\n## Чем он не является\n\nЭто не источник. На него нельзя ссылаться, и никакая цифра, полученная из него, ничего не значит.\n",
                ),
                (
                    "en",
                    "About this fixture",
                    "This site is a fixture: its people, records and biographies are invented.",
                    "This site was written by esim fixture, a program that invents people to test the esim static site generator. None of the people in it existed. Their names are made from lists of common surnames and given names, and their dates, places and sentences were drawn at random.\n\n## What it is for\n\nA memorial book has to work for hundreds of thousands of people: it must build in reasonable time, sort every regional index in its language's alphabet, and find a person by any spelling of the name. A fixture of the same size tests all of that without touching anyone's real record.\n\n## What it is not\n\nIt is not a source. Nothing here may be cited, and no number drawn from it means anything.\n",
                ),
            ],
        ),
        (
            "fixture-records",
            2,
            [
                (
                    "kk",
                    "Ойдан шығарылған жазбалар қалай жасалады",
                    "Сынақ жазбаларындағы есімдер, күндер мен үкімдер қандай ережелермен таңдалады.",
                    "Әр жазба — бір іс. Адамдардың шамамен жиырмадан бірінде екі іс бар: біріншісі босатумен аяқталады, екіншісі одан кейін басталады.\n\n## Есімдер\n\nЕсімдер Қазақстанда қуғын-сүргінге ұшыраған және оған жер аударылған халықтардың есім үлгілеріне сай құралады: қазақ, орыс, неміс, украин, корей, поляк, шешен және ингуш есімдері. Қазақ есімдерінің мұрағаттық (орыстандырылған) түрі бар, көбінің қазақша түрі де бар.\n\n## Күндер мен үкімдер\n\nТуған жылдар 1870–1925, қамауға алу 1928–1953 жылдар аралығында. Үкім, шешім шығарған орган және тағдыр бір-біріне сәйкес келеді: ату жазасына кесілгендер атылған, лагерь мерзімі 3–25 жыл. Әр жазбаның дереккөзінде оның ойдан шығарылғаны айтылған.\n",
                ),
                (
                    "ru",
                    "Как устроены вымышленные записи",
                    "По каким правилам выбираются имена, даты и приговоры тестовых записей.",
                    "Каждая запись — одно дело. Примерно у каждого двадцатого человека два дела: первое кончается освобождением, второе начинается после него.\n\n## Имена\n\nИмена составлены по образцам имён народов, репрессированных в Казахстане и депортированных в него: казахов, русских, немцев, украинцев, корейцев, поляков, чеченцев и ингушей. У казахских имён есть архивная (русифицированная) форма, у большинства — и казахская.\n\n## Даты и приговоры\n\nГоды рождения — 1870–1925, аресты — 1928–1953. Приговор, вынесший его орган и судьба согласованы: приговорённые к высшей мере расстреляны, сроки лагеря — от 3 до 25 лет. В источнике каждой записи сказано, что она вымышлена.\n",
                ),
                (
                    "en",
                    "How the fictitious records are made",
                    "The rules by which the names, dates and sentences of the fixture's records are drawn.",
                    "Each record is one case. About one person in twenty has two cases: the first ends in release, the second begins after it.\n\n## Names\n\nNames follow the patterns of the peoples who were repressed in, and deported to, Kazakhstan: Kazakh, Russian, German, Ukrainian, Korean, Polish, Chechen and Ingush names. Kazakh names have an archive (Russified) form, and most of them a Kazakh form too.\n\n## Dates and sentences\n\nBirths fall in 1870–1925, arrests in 1928–1953. The sentence, the body that passed it and the fate agree with each other: those sentenced to death were executed, and camp terms run from 3 to 25 years. The source of every record says that it is fictitious.\n",
                ),
            ],
        ),
        (
            "fixture-names",
            3,
            [
                (
                    "kk",
                    "Бір есімнің бірнеше жазылуы",
                    "Сынақ жинағы іздеуді есімнің әртүрлі жазылуымен қалай тексереді.",
                    "Мұрағат құжаттарында қазақ есімдері орыс тілінде жазылған: Байтұрсынұлы — Байтурсынов болып. Отбасылар туыстарын қазақша да, орысша да, латынша да іздейді.\n\n## Сынақ не тексереді\n\nОйдан шығарылған адамдардың бір бөлігінде есімнің басқа жазылулары бар: латынша жазылуы және хатшылар жазған басқа кириллица түрі. Іздеу олардың кез келгені бойынша адамды табуы тиіс.\n",
                ),
                (
                    "ru",
                    "Одно имя — много написаний",
                    "Как тестовый набор проверяет поиск по разным написаниям имени.",
                    "В архивных документах казахские имена записаны по-русски: Байтұрсынұлы — как Байтурсынов. Семьи ищут родственников и по-казахски, и по-русски, и латиницей.\n\n## Что проверяет набор\n\nУ части вымышленных людей есть другие написания имени: латинское и иное кириллическое, как его записывали делопроизводители. Поиск должен находить человека по любому из них.\n",
                ),
                (
                    "en",
                    "One name, many spellings",
                    "How the fixture tests search with the different spellings of a name.",
                    "Archive documents write Kazakh names in Russian: Байтұрсынұлы as Байтурсынов. Families look for their relatives in Kazakh, in Russian and in Latin letters.\n\n## What the fixture tests\n\nSome of the invented people have other spellings of their names: a Latin one and another Cyrillic one, as clerks wrote it. Search must find the person by any of them.\n",
                ),
            ],
        ),
    ];
    let mut out = Vec::new();
    for (slug, weight, versions) in essays {
        for (lang, title, summary, body) in versions {
            let authors = match lang {
                "kk" => "esim fixture бағдарламасы",
                "ru" => "программа esim fixture",
                _ => "esim fixture",
            };
            out.push((
                slug,
                lang,
                format!(
                    "+++\ntitle = \"{title}\"\ndate = 2025-01-{:02}\nauthors = [\"{authors}\"]\nsummary = \"{summary}\"\nweight = {weight}\n+++\n\n{body}",
                    10 + weight
                ),
            ));
        }
    }
    out
}

/// The about page in every language: (language, file).
fn about_pages(seed: u64) -> [(&'static str, String); 3] {
    [
        (
            "kk",
            format!(
                "+++\ntitle = \"Сынақ жинағы туралы\"\nweight = 1\nsummary = \"Бұл сайттағы адамдардың бәрі ойдан шығарылған.\"\n+++\n\nБұл сайт — esim бағдарламасының сынақ жинағы (seed {seed}). Ондағы адамдардың, жазбалардың және өмірбаяндардың бәрі ойдан шығарылған; нақты адамдарды естелік кітабының өзінен іздеңіз.\n\n## Қалай жасалған\n\nСайтты esim fixture командасы жасады. Бірдей seed әрқашан дәл сондай сайт береді.\n"
            ),
        ),
        (
            "ru",
            format!(
                "+++\ntitle = \"Об этом тестовом наборе\"\nweight = 1\nsummary = \"Все люди на этом сайте вымышлены.\"\n+++\n\nЭтот сайт — тестовый набор программы esim (seed {seed}). Все люди, записи и биографии в нём вымышлены; настоящих людей ищите в самой книге памяти.\n\n## Как он сделан\n\nСайт создан командой esim fixture. Один и тот же seed всегда даёт точно такой же сайт.\n"
            ),
        ),
        (
            "en",
            format!(
                "+++\ntitle = \"About this fixture\"\nweight = 1\nsummary = \"Every person on this site is fictitious.\"\n+++\n\nThis site is a fixture of esim (seed {seed}). Every person, record and biography in it is invented; look for real people in the memorial book itself.\n\n## How it was made\n\nThe site was written by the esim fixture command. The same seed always gives exactly the same site.\n"
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for day in [-50_000, -1, 0, 1, 59, 60, 365, 10_000, 20_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(civil_from_days(days_from_civil(1937, 11, 5)), (1937, 11, 5));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn the_prng_is_the_same_everywhere() {
        // splitmix64's reference outputs for seed 0 (state before mixing).
        let mut r = Rng(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn names_take_russian_forms() {
        let s = |f: fn(&mut String)| {
            let mut b = String::new();
            f(&mut b);
            b
        };
        assert_eq!(s(|b| push_patronymic(b, "Ахмет", false)), "Ахметович");
        assert_eq!(s(|b| push_patronymic(b, "Жумабай", true)), "Жумабаевна");
        assert_eq!(s(|b| push_patronymic(b, "Василий", false)), "Васильевич");
        assert_eq!(s(|b| push_patronymic(b, "Муса", false)), "Мусаевич");
        assert_eq!(s(|b| push_patronymic(b, "Пётр", true)), "Петровна");
        assert_eq!(s(|b| push_female_surname(b, "Байтурсынов")), "Байтурсынова");
        assert_eq!(s(|b| push_female_surname(b, "Ковальский")), "Ковальская");
        assert_eq!(s(|b| push_female_surname(b, "Шевченко")), "Шевченко");
        assert_eq!(s(|b| push_passport_latin(b, "Байтурсынов")), "Baitursynov");
        assert_eq!(
            s(|b| {
                push_cyrillic_variant(b, "Жумабаев");
            }),
            "Джумабаев"
        );
    }

    #[test]
    fn a_row_has_every_column() {
        let mut p = PersonBuf::default();
        let mut line = String::new();
        for index in 0..200 {
            make_person(&mut p, &mut Rng::stream(3, index, 0), index as usize, 7);
            for i in 0..p.case_count {
                push_row(&mut line, &p, i, false, "x");
                let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
                let record = reader.records().next().unwrap().unwrap();
                assert_eq!(record.len(), crate::records::columns::ALL.len(), "{line}");
            }
        }
    }
}
