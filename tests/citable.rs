//! A page a family can use: citation, sharing tags, JSON-LD, QR code, the
//! correction link, and the open data (which round-trips through `esim check`).

mod common;

use common::*;

fn site() -> Fixture {
    let f = Fixture::new(&[
        row(&[
            ("id", "kz-1937-0001"),
            ("surname", "Байтурсынов"),
            ("given_name", "Ахмет"),
            ("surname_kk", "Байтұрсынұлы"),
            ("name_variants", "Baytursunov"),
            ("birth_date", "1872-09-05"),
            ("birth_place", "Торгайский уезд"),
            ("death_date", "1937-12-08"),
            ("region", "KZ-39"),
            ("arrest_date", "1937-10-08"),
            ("sentence", "execution"),
            ("fate", "executed"),
            ("archive", "Архив, ф. 1, оп. 2, д. 3"),
            ("status", "verified"),
        ]),
        row(&[
            ("id", "kz-1937-0001"),
            ("region", "KZ-75"),
            ("arrest_date", "1929"),
            ("sentence", "camp"),
            ("sentence_years", "10"),
            ("status", "verified"),
        ]),
        person("p2", "Петров", "Пётр"),
    ]);
    f.config("[corrections]\nemail = \"fix@memorial.example.org\"\n[data]\nlicence = \"CC0 1.0\"\nlicence_url = \"https://creativecommons.org/publicdomain/zero/1.0/\"\n");
    f
}

fn build(f: &Fixture) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_esim"))
        .args(["build", "--quiet", "--root", f.root().to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn person_pages_carry_citation_sharing_tags_json_ld_and_qr() {
    let f = site();
    build(&f);
    let en = f.read("en/people/kz-1937-0001/index.html");
    let url = "https://memorial.example.org/kz/en/people/kz-1937-0001/";
    assert!(
        en.contains(&format!("Akhmet Baitursynuly. In: Esim. {url} (version of 14 November 2023).")),
        "citation with SOURCE_DATE_EPOCH"
    );
    assert!(en.contains("@misc{esim-kz-1937-0001-en"), "BibTeX");
    assert!(en.contains("class=Z3988") || en.contains("class=\"Z3988\""), "COinS");
    assert!(en.contains(&format!("content={url} property=og:url")), "Open Graph URL");
    assert!(en.contains("content=profile property=og:type"));
    assert!(en.contains("content=summary name=twitter:card"));
    assert!(en.contains("<img") && en.contains("class=qr") && en.contains("data:image/png;base64,"), "inline QR code");
    let ru = f.read("ru/people/kz-1937-0001/index.html");
    assert!(ru.contains("(версия от 14 ноября 2023 г.)"));
    let kk = f.read("kk/people/kz-1937-0001/index.html");
    assert!(kk.contains("(2023 жылғы 14 қарашадағы нұсқасы)"));

    // JSON-LD parses and names the person.
    let start = en.find("application/ld+json>").expect("JSON-LD") + "application/ld+json>".len();
    let json = &en[start..start + en[start..].find("</script>").unwrap()];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["@type"], "Person");
    assert_eq!(v["name"], "Akhmet Baitursynuly");
    assert_eq!(v["birthDate"], "1872-09-05");
    assert_eq!(v["deathDate"], "1937-12-08");
    assert_eq!(v["birthPlace"]["name"], "Торгайский уезд");
    let alternate: Vec<&str> = v["alternateName"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(
        alternate.contains(&"Байтурсынов Ахмет")
            && alternate.contains(&"Байтұрсынұлы Ахмет")
            && alternate.contains(&"Baytursunov")
    );
}

#[test]
fn the_correction_link_carries_the_id_and_url() {
    let f = site();
    build(&f);
    let en = f.read("en/people/kz-1937-0001/index.html");
    let href = hrefs(&en).into_iter().find(|h| h.starts_with("mailto:")).expect("a mailto link");
    assert!(href.starts_with("mailto:fix@memorial.example.org?subject="));
    assert!(href.contains("kz-1937-0001"), "{href}");
    assert!(href.contains("https%3A%2F%2Fmemorial.example.org%2Fkz%2Fen%2Fpeople%2Fkz-1937-0001%2F"), "{href}");

    f.config("[corrections]\nform_url = \"https://forms.example.org/fix?record={id}&page={url}\"\n");
    build(&f);
    let ru = f.read("ru/people/p2/index.html");
    let form = hrefs(&ru).into_iter().find(|h| h.starts_with("https://forms.example.org/")).expect("a form link");
    assert!(
        form.replace("&amp;", "&").starts_with("https://forms.example.org/fix?record=p2&page=https%3A%2F%2F"),
        "{form}"
    );
}

#[test]
fn open_data_round_trips_through_check() {
    let f = site();
    build(&f);
    let csv = f.read("data/records.csv");
    assert_eq!(csv.lines().count(), 1 + 3, "a header and one row per case");
    // Every column, the optional `note` too (which the fixture's input, like
    // older record files, does not have).
    assert!(csv.starts_with(&all_columns()), "{}", csv.lines().next().unwrap());
    let jsonl = f.read("data/records.jsonl");
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "kz-1937-0001");
    assert_eq!(first["cases"].as_array().unwrap().len(), 2);
    let person: serde_json::Value =
        jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).find(|p: &serde_json::Value| p["id"] == "p2").unwrap();
    assert_eq!(person["urls"]["kk"], "https://memorial.example.org/kz/kk/people/p2/");
    let page = f.read("ru/data/index.html");
    assert!(page.contains("CC0 1.0") && page.contains("name_variants") && page.contains("Постоянный идентификатор"));
    let person_page = f.read("en/people/p2/index.html");
    assert!(hrefs(&person_page).contains(&"/kz/en/data/".to_string()), "the open data, from the footer");
    assert!(!f.public().join("data/people").exists(), "no file per person: the bulk files hold the records");

    // The published CSV is valid input: a new site made of it passes check and
    // publishes the same CSV again.
    let g = Fixture::new(&[]);
    g.write("data/records/people.csv", &csv);
    let out = g.esim(&["check"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    g.esim(&["build", "--quiet"]);
    assert_eq!(g.read("data/records.csv"), csv);
}

fn write_photo(f: &Fixture, rel: &str, width: u32, height: u32) {
    // Photo-like: a gradient with grain, which PNG cannot compress away.
    let mut seed = 12345u32;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let grain = ((seed >> 24) % 64) as u8;
        image::Rgb([(x % 190) as u8 + grain, (y % 190) as u8 + grain, 100 + grain])
    });
    let path = f.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    img.save(path).unwrap();
}

#[test]
fn biography_photos_are_resized_with_their_size_and_alt_text() {
    let f = site();
    write_photo(&f, "content/people/p2/photo.png", 1500, 1000);
    f.write(
        "content/people/p2.en.md",
        "+++\n[[images]]\nfile = \"photo.png\"\nalt = \"A man in a coat, 1930s\"\ncaption = \"Family archive\"\n+++\n\nA life.\n",
    );
    build(&f);
    let html = f.read("en/people/p2/index.html");
    assert!(html.contains("alt=\"A man in a coat, 1930s\""), "{html}");
    assert!(html.contains("width=640") && html.contains("height=427"), "width and height of the default variant");
    assert!(html.contains("/kz/images/people/p2/photo-320.jpg 320w"), "srcset");
    assert!(html.contains("<figcaption>Family archive</figcaption>"));
    for (w, h) in [(320, 213), (640, 427), (1280, 853)] {
        let (iw, ih) = image::image_dimensions(f.public().join(format!("images/people/p2/photo-{w}.jpg"))).unwrap();
        assert_eq!((iw, ih), (w, h));
    }
    let big = std::fs::metadata(f.public().join("images/people/p2/photo-1280.jpg")).unwrap().len();
    let original = std::fs::metadata(f.root().join("content/people/p2/photo.png")).unwrap().len();
    assert!(big < original, "compressed: {big} < {original}");
}

#[test]
fn a_photo_without_alt_text_is_an_error() {
    let f = site();
    write_photo(&f, "content/people/p2/photo.png", 100, 100);
    f.write("content/people/p2.en.md", "+++\n[[images]]\nfile = \"photo.png\"\n+++\n\nA life.\n");
    f.write("content/people/p2.ru.md", "+++\n[[images]]\nfile = \"missing.jpg\"\nalt = \"x\"\n+++\n\nЖизнь.\n");
    let out = f.esim(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("content/people/p2.en.md:3:8: image \"photo.png\" has no alt text"), "{stderr}");
    assert!(stderr.contains("content/people/p2.ru.md:3:8: cannot read image"), "{stderr}");
}
