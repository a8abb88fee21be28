//! `sitemap.xml` with hreflang alternates on every URL, split into several files
//! under a sitemap index when there are more URLs than one file may hold.

/// One URL of the site with its translations (language code, absolute URL).
pub struct Entry {
    pub loc: String,
    pub alternates: Vec<(String, String)>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

fn urlset(entries: &[Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 400);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for e in entries {
        out.push_str("<url><loc>");
        out.push_str(&escape(&e.loc));
        out.push_str("</loc>");
        for (lang, href) in &e.alternates {
            out.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(lang),
                escape(href)
            ));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The sitemap files as (file name, content). `sitemap.xml` is a plain sitemap
/// when all URLs fit in one file, else an index of `sitemap-N.xml` files.
pub fn files(entries: &[Entry], max_urls: usize, absolute: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
    if entries.len() <= max_urls {
        return vec![("sitemap.xml".into(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (i, chunk) in entries.chunks(max_urls).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", escape(&absolute(&format!("/{name}")))));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}
