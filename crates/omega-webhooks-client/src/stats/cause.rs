//! [`cause`]: what a receiver's answer body says went wrong, normalized so that answers that
//! differ only in ids, numbers or hex runs group together.

/// The longest cause kept, in characters (an ellipsis marks the cut).
const MAX_CAUSE_CHARS: usize = 120;

/// The cause of an answer without a body line.
const EMPTY_BODY: &str = "(empty body)";

/// The normalized cause of a receiver answer `body`: an HTML page's `<title>`, else the first
/// non-blank line (tags removed when it is markup), whitespace collapsed, every word that holds
/// a digit — and every hex run of 16 or more — masked as `#`, cut at 120 characters.
///
/// `handler failed: TimeoutError (event 6501…)` gives `handler failed: TimeoutError (event #)`.
pub(crate) fn cause(body: &str) -> String {
    let line = html_title(body).unwrap_or_else(|| first_line(body));
    let masked = mask(&line);
    match masked.char_indices().nth(MAX_CAUSE_CHARS) {
        None if masked.is_empty() => EMPTY_BODY.to_owned(),
        None => masked,
        Some((cut, _)) => format!("{}…", &masked[..cut]),
    }
}

/// The text of the first `<title>` element, if the body has a non-blank one.
fn html_title(body: &str) -> Option<String> {
    let lower = body.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title = collapse(&body[start..end]);
    (!title.is_empty()).then_some(title)
}

/// The first non-blank line, without tags when it is markup, whitespace collapsed.
fn first_line(body: &str) -> String {
    let line = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if line.trim_start().starts_with('<') {
        collapse(&strip_tags(line))
    } else {
        collapse(line)
    }
}

/// `text` without anything between `<` and `>`.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Runs of whitespace as one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every word (a run of letters, digits and `_`) that holds a digit, or is a hex run of 16 or
/// more, replaced by `#`; a hyphenated run of hex words holding a digit (a UUID) is one `#`.
fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            token.push(c);
            continue;
        }
        mask_token(&token, &mut out);
        token.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// `token` (words joined by `-`) masked onto `out`.
fn mask_token(token: &str, out: &mut String) {
    let hex = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_hexdigit());
    if token.contains('-') && token.split('-').all(hex) && token.chars().any(|c| c.is_ascii_digit())
    {
        out.push('#');
        return;
    }
    for (i, word) in token.split('-').enumerate() {
        if i > 0 {
            out.push('-');
        }
        let hex_run = word.len() >= 16 && hex(word);
        if hex_run || word.chars().any(char::is_numeric) {
            out.push('#');
        } else {
            out.push_str(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cause;

    #[test]
    fn ids_numbers_and_hex_runs_are_masked() {
        assert_eq!(
            cause("handler failed: TimeoutError (event 650000000000000000000001)"),
            "handler failed: TimeoutError (event #)"
        );
        assert_eq!(
            cause("order 12 of user 7f3a-b2 failed after 3.5s\nstack…"),
            "order # of user # failed after #.#"
        );
        assert_eq!(cause("trace deadbeefdeadbeefcafe"), "trace #");
        assert_eq!(cause("database is down"), "database is down");
        assert_eq!(
            cause("user 6f0e2d1c-aaaa-4bbb-8ccc-0123456789ab not-found in shard-12"),
            "user # not-found in shard-#"
        );
    }

    #[test]
    fn html_pages_group_by_title_or_text() {
        let page =
            "<html><head>\n<title> 503 Service\n Unavailable </title></head><body>x</body></html>";
        assert_eq!(cause(page), "# Service Unavailable");
        assert_eq!(cause("<html>upstream error</html>"), "upstream error");
        assert_eq!(cause("<html><title></title>oops</html>"), "oops");
    }

    #[test]
    fn empty_and_long_bodies() {
        assert_eq!(cause(""), "(empty body)");
        assert_eq!(cause("\n  \n"), "(empty body)");
        let long = "é".repeat(500);
        let cut = cause(&long);
        assert_eq!(cut.chars().count(), 121);
        assert!(cut.ends_with('…'));
    }
}
