//! Small fixture sites: ordering, pagination, dates, plurals, escaping,
//! missing translations, sitemap splitting and determinism.

mod common;

use common::*;

#[test]
fn kazakh_index_follows_the_kazakh_alphabet_and_paginates_with_letters() {
    let people = [
        ("p1", "Қасымов", "Сабыр", "Қасымов"),
        ("p2", "Кенжин", "Ілияс", ""),
        ("p3", "Әуезов", "Мұхтар", "Әуезов"),
        ("p4", "Аймауытов", "Жүсіпбек", ""),
        ("p5", "Ыбыраев", "Ахмет", ""),
        ("p6", "Ілиясов", "Ахмет", ""),
        ("p7", "Бөкейханов", "Әлихан", ""),
    ];
    let rows: Vec<String> = people
        .iter()
        .map(|(id, s, g, kk)| {
            row(&[
                ("id", id),
                ("surname", s),
                ("given_name", g),
                ("surname_kk", kk),
                ("region", "KZ-75"),
                ("status", "verified"),
            ])
        })
        .collect();
    let f = Fixture::new(&rows);
    f.config("[build]\npeople_per_page = 3\n");
    f.build().unwrap();
    let pages: Vec<String> = (1..=3)
        .map(|n| {
            if n == 1 {
                f.read("kk/regions/almaty/index.html")
            } else {
                f.read(&format!("kk/regions/almaty/page/{n}/index.html"))
            }
        })
        .collect();
    assert!(!f.public().join("kk/regions/almaty/page/4").exists());
    let all = pages.join("");
    let order: Vec<usize> = ["Аймауытов", "Әуезов", "Бөкейханов", "Кенжин", "Қасымов", "Ыбыраев", "Ілиясов"]
        .iter()
        .map(|n| all.find(n).unwrap_or_else(|| panic!("{n} missing")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "Kazakh alphabetical order: {order:?}");
    // Letter navigation on every page links each letter to the page where it begins.
    let nav = &pages[2];
    assert!(nav.contains("href=/kz/kk/regions/almaty/#letter-2>Ә</a>"), "{nav}");
    assert!(
        nav.contains("href=/kz/kk/regions/almaty/page/3/#letter-38>І</a>") || nav.contains("page/3/#letter-"),
        "{nav}"
    );
    for (i, page) in pages.iter().enumerate() {
        for href in hrefs(page).iter().filter(|h| h.contains("#letter-")) {
            let (path, frag) = href.split_once('#').unwrap();
            let target = path.trim_start_matches("/kz/");
            let html = f.read(&format!("{target}index.html"));
            assert!(html.contains(&format!("id={frag}>")), "page {}: {href} has no target", i + 1);
        }
    }
    // Counts and pagination links.
    assert!(pages[0].contains("7 адам"));
    assert!(pages[0].contains("href=/kz/kk/regions/almaty/page/2/ rel=next"));
    assert!(pages[1].contains("rel=prev"));
}

#[test]
fn dates_are_written_per_language_including_partial_and_approximate() {
    let f = Fixture::new(&[row(&[
        ("id", "d1"),
        ("surname", "Иванов"),
        ("given_name", "Иван"),
        ("region", "KZ-35"),
        ("status", "unverified"),
        ("birth_date", "~1890"),
        ("arrest_date", "1937-11-05"),
        ("sentence_date", "1937-11"),
        ("sentence", "camp"),
        ("sentence_years", "10"),
        ("rehabilitation_date", "~1958-02-28"),
    ])]);
    f.build().unwrap();
    let en = f.read("en/people/d1/index.html");
    for s in ["c. 1890", "5 November 1937", "November 1937", "c. 28 February 1958", "10 years", "~1890 – ?"] {
        assert!(en.contains(s), "en: {s}");
    }
    let ru = f.read("ru/people/d1/index.html");
    for s in ["около 1890 г.", "5 ноября 1937 г.", "ноябрь 1937 г.", "около 28 февраля 1958 г.", "10 лет"]
    {
        assert!(ru.contains(s), "ru: {s}");
    }
    let kk = f.read("kk/people/d1/index.html");
    for s in ["шамамен 1890 жыл", "1937 жылғы 5 қараша</time>", "1937 жылғы қараша", "10 жыл"]
    {
        assert!(kk.contains(s), "kk: {s}");
    }
}

#[test]
fn russian_counts_use_three_plural_forms() {
    for (n, expected) in
        [(1, "1 человек"), (2, "2 человека"), (5, "5 человек"), (21, "21 человек"), (22, "22 человека")]
    {
        let rows: Vec<String> = (0..n).map(|i| person(&format!("p{i}"), "Петров", "Пётр")).collect();
        let f = Fixture::new(&rows);
        f.build().unwrap();
        let html = f.read("ru/regions/almaty/index.html");
        assert!(html.contains(&format!("{expected}<")) || html.contains(&format!("{expected} ")), "{n}: {expected}");
    }
}

#[test]
fn record_text_is_escaped_never_interpreted() {
    let f = Fixture::new(&[row(&[
        ("id", "x1"),
        ("surname", "</title><script>alert(1)</script>"),
        ("given_name", "\"><img src=x onerror=alert(2)>"),
        ("birth_place", "<b>Алма-Ата</b>"),
        ("region", "KZ-75"),
        ("status", "verified"),
    ])]);
    f.build().unwrap();
    for lang in ["kk", "ru", "en"] {
        let html = f.read_raw(&format!("{lang}/people/x1/index.html"));
        // In <title> (raw text for the parser) only "</" needs escaping; the
        // minifier keeps it escaped so the title cannot be closed early.
        let title = html.split("<title>").nth(1).unwrap().split("</title>").next().unwrap();
        assert!(title.contains("&lt;/title&gt;&lt;script&gt;"), "{lang}: {title}");
        let body = html.split("</head>").nth(1).unwrap();
        assert!(!body.contains("<script>"), "{lang}: script tag escaped");
        // (The page's own <img> is the QR code; the record's must not be one.)
        assert!(!body.contains("<img src=x"), "{lang}: img tag escaped");
        assert!(body.contains("&lt;img src=x onerror=alert(2)&gt;"), "{lang}: img shown as text");
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{lang}: shown as text");
        assert!(body.contains("&lt;b&gt;Алма-Ата&lt;/b&gt;"));
    }
}

#[test]
fn kazakh_and_english_forms_and_romanization() {
    let f = Fixture::new(&[
        row(&[
            ("id", "a"),
            ("surname", "Байтурсынов"),
            ("given_name", "Ахмет"),
            ("surname_kk", "Байтұрсынұлы"),
            ("region", "KZ-75"),
            ("status", "verified"),
            ("name_variants", "Baytursunov|Байтурсунов"),
        ]),
        row(&[
            ("id", "b"),
            ("surname", "Ким"),
            ("given_name", "Герберт"),
            ("surname_en", "Kim"),
            ("given_name_en", "Herbert"),
            ("region", "KZ-75"),
            ("status", "verified"),
        ]),
    ]);
    f.build().unwrap();
    let kk = f.read("kk/people/a/index.html");
    assert!(kk.contains("<h1>Байтұрсынұлы Ахмет</h1>"));
    assert!(kk.contains("Байтурсынов Ахмет"), "archive form shown too");
    let en = f.read("en/people/a/index.html");
    assert!(en.contains("<h1>Akhmet Baitursynuly</h1>"), "romanized from the Kazakh form");
    assert!(en.contains("<dd lang=kk>Байтұрсынұлы Ахмет</dd>"));
    assert!(en.contains("Baytursunov") && en.contains("Байтурсунов"), "variants shown");
    let en_b = f.read("en/people/b/index.html");
    assert!(en_b.contains("<h1>Herbert Kim</h1>"), "English columns win");
    let ru = f.read("ru/people/a/index.html");
    assert!(ru.contains("<h1>Байтурсынов Ахмет</h1>"), "Russian pages show the archive form");
}

#[test]
fn a_missing_translation_says_so_and_links_the_existing_ones() {
    let f = Fixture::new(&[person("p1", "Петров", "Пётр")]);
    f.write("content/essays/only-ru.ru.md", "+++\ntitle = \"Только по-русски\"\nweight = 1\n+++\n\nТекст.\n");
    f.write("content/people/p1.ru.md", "+++\n+++\n\nБиография.\n");
    f.build().unwrap();
    let en = f.read("en/essays/only-ru/index.html");
    assert!(en.contains("has not been translated into English"));
    assert!(en.contains("href=/kz/ru/essays/only-ru/"));
    assert!(en.contains("content=noindex name=robots"));
    assert!(!en.contains("hreflang=en rel=alternate"), "no alternate for a missing translation");
    let person = f.read("en/people/p1/index.html");
    assert!(person.contains("A biography of this person exists in"));
    assert!(person.contains("/kz/ru/people/p1/#biography"));
    let sitemap = f.read("sitemap.xml");
    assert!(!sitemap.contains("/en/essays/only-ru/"), "missing translations are not in the sitemap");
    assert!(sitemap.contains("/ru/essays/only-ru/"));
}

#[test]
fn sitemap_splits_into_an_index_with_alternates_in_every_file() {
    let rows: Vec<String> = (0..10).map(|i| person(&format!("p{i}"), "Петров", "Пётр")).collect();
    let f = Fixture::new(&rows);
    f.config("[build]\nsitemap_max_urls = 20\n");
    f.build().unwrap();
    let index = f.read("sitemap.xml");
    assert!(index.contains("<sitemapindex"));
    let files: Vec<&str> = index.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    assert!(files.len() >= 2, "{index}");
    let mut total = 0;
    for url in files {
        let name = url.rsplit('/').next().unwrap();
        let part = f.read(name);
        let n = part.matches("<url>").count();
        assert!(n <= 20 && n > 0);
        assert_eq!(part.matches("<url>").count(), part.matches("hreflang=\"kk\"").count());
        total += n;
    }
    assert!(total >= 30, "all person URLs are in the parts: {total}");
}

#[test]
fn two_builds_are_byte_identical() {
    let rows: Vec<String> =
        (0..40).map(|i| person(&format!("p{i}"), if i % 2 == 0 { "Әлиев" } else { "Ахметов" }, "Ахмет")).collect();
    let f = Fixture::new(&rows);
    f.build().unwrap();
    let first = snapshot(&f.public());
    f.build().unwrap();
    assert!(first == snapshot(&f.public()), "a rebuild wrote different bytes");
}

#[test]
fn a_person_with_two_cases_shows_both_in_order() {
    let f = Fixture::new(&[
        row(&[
            ("id", "t"),
            ("surname", "Сейфуллин"),
            ("given_name", "Сакен"),
            ("region", "KZ-75"),
            ("status", "verified"),
            ("arrest_date", "1938"),
            ("fate", "executed"),
        ]),
        row(&[
            ("id", "t"),
            ("region", "KZ-11"),
            ("status", "disputed"),
            ("arrest_date", "1922-05"),
            ("fate", "released"),
        ]),
    ]);
    f.build().unwrap();
    let en = f.read("en/people/t/index.html");
    let first = en.find("Case 1").unwrap();
    let second = en.find("Case 2").unwrap();
    assert!(en.find("May 1922").unwrap() > first && en.find("May 1922").unwrap() < second, "earlier case first");
    assert!(en.contains("status-disputed") && en.contains("status-verified"));
    // Listed in both regions.
    assert!(f.read("en/regions/akmola/index.html").contains("/kz/en/people/t/"));
    assert!(f.read("en/regions/almaty/index.html").contains("/kz/en/people/t/"));
}
