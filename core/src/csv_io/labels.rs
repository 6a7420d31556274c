//! The console's column labels for exported tables: a CSV a user downloads
//! has the headers they saw on the page ("Lift vs control", "When (UTC)"),
//! in the page's order, and the columns the page does not show follow
//! under their machine names. The importer matches headers without case,
//! spaces or `_`, and knows the other labels as aliases, so an exported
//! table still imports back (see `kinds.rs`).

use super::Table;

/// The columns a table's page shows: (machine name, label), in the page's
/// order.
pub(crate) fn labels(table: Table) -> &'static [(&'static str, &'static str)] {
    match table {
        Table::Experiments => &[
            ("experiment", "Experiment"),
            ("variant", "Variant"),
            ("weight", "Weight"),
            ("trials", "Trials"),
            ("conversions", "Conversions"),
            ("rate", "Rate"),
            ("low", "Interval low"),
            ("high", "Interval high"),
            ("lift", "Lift vs control"),
            ("lift_ci_low", "Lift interval low"),
            ("lift_ci_high", "Lift interval high"),
            ("p_value", "p-value"),
            ("chance_to_beat", "Chance to beat"),
            ("significant", "Significant"),
        ],
        Table::Scripts => &[
            ("id", "Script"),
            ("status", "Status"),
            ("versions", "Versions"),
            ("evaluations", "Evaluations"),
            ("streak", "Streak"),
            ("ab_totals", "A/B conversions/trials"),
        ],
        Table::Packets => &[
            ("id", "Id"),
            ("name", "Lead"),
            ("value", "Value"),
            ("terms", "Terms"),
            ("source", "Source"),
            ("scripts", "Scripts"),
            ("channels", "Channels"),
            ("built_at", "Built"),
        ],
        Table::Sources => &[
            ("source", "Source"),
            ("status", "Status"),
            ("accepted", "Accepted"),
            ("blocked", "Blocked"),
            ("last_reasons", "Last reasons"),
        ],
        Table::Series => &[
            ("series_id", "Series"),
            ("metric", "Metric"),
            ("subject", "Subject"),
            ("baseline", "Baseline"),
        ],
        Table::Alerts => &[
            ("raised_at", "Raised"),
            ("kind", "Kind"),
            ("series_id", "Series"),
            ("message", "Message"),
            ("status", "Status"),
            ("notes", "Notes"),
        ],
        Table::Models => &[
            ("version", "Version"),
            ("parent", "Parent"),
            ("strategy", "Strategy"),
            ("accuracy", "Accuracy"),
            ("status", "Status"),
        ],
        Table::Clones => &[
            ("clone_id", "Clone"),
            ("composite", "Score"),
            ("ready", "Ready"),
            ("gap", "Gap"),
            ("weakest", "Weakest"),
            ("assessments", "Assessments"),
            ("assessed_at", "Assessed (UTC)"),
        ],
        Table::Gates => &[
            ("at", "When (UTC)"),
            ("clone", "Clone"),
            ("verdict", "Verdict"),
            ("gates", "Gates"),
        ],
        Table::Audit => &[
            ("seq", "#"),
            ("at", "When (UTC)"),
            ("actor", "Actor"),
            ("subject", "Subject"),
            ("action", "Action"),
            ("outcome", "Outcome"),
            ("detail", "Detail"),
            ("hash", "Hash"),
        ],
    }
}

/// The what-if page's columns for a report's differences.
pub(crate) const WHAT_IF: &[(&str, &str)] = &[
    ("position", "#"),
    ("kind", "Kind"),
    ("action", "Command"),
    ("original.outcome", "Current outcome"),
    ("original.reason", "Current reason"),
    ("alternative.outcome", "Alternative outcome"),
    ("alternative.reason", "Alternative reason"),
];
