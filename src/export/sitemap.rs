//! `sitemap.xml` with hreflang alternates on every URL, split into several files
//! under a sitemap index when there are more URLs than one file may hold. URLs
//! arrive a translation group at a time and are written as files fill up, so a
//! million URLs never sit in memory together.

use crate::util::escape::xml as escape;

const URLSET_START: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_END: &str = "</urlset>\n";

/// Writes sitemap files through `write(name, xml)`.
pub struct SitemapWriter<'a> {
    max_urls: usize,
    write: &'a mut dyn FnMut(&str, &str) -> Result<(), String>,
    current: String,
    in_current: usize,
    /// Names of the files written so far (`sitemap-N.xml`).
    written: Vec<String>,
}

impl<'a> SitemapWriter<'a> {
    pub fn new(max_urls: usize, write: &'a mut dyn FnMut(&str, &str) -> Result<(), String>) -> Self {
        SitemapWriter { max_urls, write, current: String::from(URLSET_START), in_current: 0, written: Vec::new() }
    }

    /// Adds the URLs of one page in every language where it exists: each URL
    /// lists all of them (itself included) as alternates.
    pub fn add_group(&mut self, urls: &[(&str, String)]) -> Result<(), String> {
        let mut alternates = String::new();
        for (lang, href) in urls {
            alternates.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(lang),
                escape(href)
            ));
        }
        for (_, loc) in urls {
            if self.in_current == self.max_urls {
                self.flush()?;
            }
            self.current.push_str("<url><loc>");
            self.current.push_str(&escape(loc));
            self.current.push_str("</loc>");
            self.current.push_str(&alternates);
            self.current.push_str("</url>\n");
            self.in_current += 1;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        let name = format!("sitemap-{}.xml", self.written.len() + 1);
        self.current.push_str(URLSET_END);
        (self.write)(&name, &self.current)?;
        self.written.push(name);
        self.current = String::from(URLSET_START);
        self.in_current = 0;
        Ok(())
    }

    /// Writes what remains: a plain `sitemap.xml` when everything fit in one
    /// file, else the last part and a sitemap index.
    pub fn finish(mut self, absolute: &dyn Fn(&str) -> String) -> Result<(), String> {
        if self.written.is_empty() {
            self.current.push_str(URLSET_END);
            return (self.write)("sitemap.xml", &self.current);
        }
        if self.in_current > 0 {
            self.flush()?;
        }
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for name in &self.written {
            index.push_str(&format!("<sitemap><loc>{}</loc></sitemap>\n", escape(&absolute(&format!("/{name}")))));
        }
        index.push_str("</sitemapindex>\n");
        (self.write)("sitemap.xml", &index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(groups: usize, max: usize) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let mut write = |name: &str, xml: &str| -> Result<(), String> {
            files.push((name.to_string(), xml.to_string()));
            Ok(())
        };
        let mut w = SitemapWriter::new(max, &mut write);
        for i in 0..groups {
            w.add_group(&[("kk", format!("https://h/kk/{i}/")), ("en", format!("https://h/en/{i}/"))]).unwrap();
        }
        w.finish(&|r| format!("https://h{r}")).unwrap();
        files
    }

    #[test]
    fn one_file_or_an_index_of_parts() {
        let one = run(3, 10);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert_eq!(one[0].1.matches("<url>").count(), 6);
        let parts = run(6, 5);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]);
        assert!(parts[3].1.contains("<loc>https://h/sitemap-3.xml</loc>"));
        assert_eq!(parts[2].1.matches("<url>").count(), 2);
    }
}
