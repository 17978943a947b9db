//! Numbers written for people, the English way: what the CLI, files and the core's sentences
//! show (the page writes them in the reader's language).

/// A number with thousands separators and sensible precision.
pub fn format_value(v: f64) -> String {
    let decimals = if v.abs() >= 1000.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    grouped(v, decimals)
}

/// `v` to `decimals` places with thousands separators (`1,234.5`); never `-0`.
pub fn grouped(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    let text = if text.trim_start_matches(['-', '0', '.']).is_empty() {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}
