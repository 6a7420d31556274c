//! Tick labels for the charts, shared so that every chart reads its axis the same way:
//! numbers with the precision their values need (the chart library rounds every tick to one
//! precision, so ticks at 0.25 and 0.75 read "0.2" and "0.8"), and category names under bars.

use leptos_chartistry::TickLabels;

/// Most decimals a tick label gets: beyond this the value is rounded.
const MAX_DECIMALS: usize = 4;

/// A tick value in words: at least the decimals of `default` (the library's label at its
/// chosen precision), and more when the value needs them to be read right (0.25, not "0.2"),
/// up to [`MAX_DECIMALS`].
pub fn tick_text(x: f64, default: &str) -> String {
    if !x.is_finite() {
        return default.to_string();
    }
    let least = default.split_once('.').map_or(0, |(_, d)| d.len());
    let decimals = (least..=MAX_DECIMALS)
        .find(|&d| {
            let scale = 10f64.powi(d as i32);
            ((x * scale).round() / scale - x).abs() <= 1e-9 * x.abs().max(1.0)
        })
        .unwrap_or(MAX_DECIMALS);
    let text = format!("{x:.decimals$}");
    // "-0" and "-0.00" read as zero.
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// Numeric ticks whose labels say what the tick is at (see [`tick_text`]).
pub fn precise_ticks() -> TickLabels<f64> {
    TickLabels::aligned_floats().with_format(|x: &f64, fmt| tick_text(*x, &fmt.format(x)))
}

/// The category name of the bar group at whole x `i` (`names[i]`), nothing between groups.
pub fn category_text(x: f64, names: &[String]) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-9 && i >= 0.0 {
        names.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// Ticks under bar groups placed at x = 0, 1, 2...: the group's name.
pub fn category_ticks(names: Vec<String>) -> TickLabels<f64> {
    TickLabels::aligned_floats().with_format(move |x: &f64, _| category_text(*x, &names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_ticks_keep_their_second_decimal() {
        // The library labels 0.25 as "0.2" at one decimal: the threshold line at 0.80 then
        // sits above a tick that says "0.8".
        assert_eq!(tick_text(0.25, "0.2"), "0.25");
        assert_eq!(tick_text(0.75, "0.8"), "0.75");
        assert_eq!(tick_text(0.5, "0.5"), "0.5");
    }

    #[test]
    fn ticks_keep_the_chosen_precision_and_round_past_four_decimals() {
        assert_eq!(tick_text(2.0, "2.0"), "2.0");
        assert_eq!(tick_text(40.0, "40"), "40");
        assert_eq!(tick_text(1.0 / 6.0, "0.2"), "0.1667");
        assert_eq!(tick_text(-0.0, "-0.0"), "0.0");
        assert_eq!(tick_text(f64::NAN, "-"), "-");
    }

    #[test]
    fn category_ticks_name_whole_positions_only() {
        let names = vec!["a".to_string(), "b".to_string()];
        assert_eq!(category_text(1.0, &names), "b");
        assert_eq!(category_text(0.5, &names), "");
        assert_eq!(category_text(2.0, &names), "");
        assert_eq!(category_text(-1.0, &names), "");
    }
}
