//! Micro-benchmark: rendering one person page of the sample site (the page type
//! that is 93% of a large site), in each language, and its QR code.
//! `cargo bench --bench render_person`.

use criterion::{criterion_group, criterion_main, Criterion};
use esim::render::catalogue::{Job, PERSON};
use esim::render::Renderer;

fn render_person(c: &mut Criterion) {
    let mut options = esim::Options::new(env!("CARGO_MANIFEST_DIR"));
    options.update_ledger = false;
    let (site, templates) = esim::load_site(&options).expect("the sample site loads");
    let static_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    let assets = esim::export::assets::Assets::load(&static_dir).expect("the theme's assets");
    let renderer = Renderer::new(&site, &templates, &assets, esim::build_date());
    let person = site.people.iter().position(|p| p.id == "tynyshpaev-mukhamedzhan").expect("a sample person") as u32;
    for (li, lang) in site.languages.iter().enumerate() {
        c.bench_function(&format!("person page with biography, {}", lang.code), |b| {
            b.iter(|| renderer.render(Job { kind: PERSON, lang: li as u8, item: (person, 0) }).expect("renders"))
        });
    }
}

/// The QR code of a person page's URL, as the `<img>` it becomes (encoding,
/// the image's rows, deflate, base64).
fn qr_code(c: &mut Criterion) {
    let url = "https://memorial.example.org/kz/kk/people/f0000001/";
    c.bench_function("QR code image", |b| b.iter(|| esim::render::qr::img(url, "QR")));
}

criterion_group!(benches, render_person, qr_code);
criterion_main!(benches);
