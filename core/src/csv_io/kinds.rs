//! What each kind of file holds and the command each row becomes: the
//! columns a kind reads (with the other names warehouses use for them), and
//! one function per kind from a row's cells to the command's JSON, which the
//! engine then reads and judges exactly as a typed command.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The kinds of file the engine imports.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CsvImportKind"))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Trials and conversions per experiment and variant (`ab` `RecordCounts`).
    Counts,
    /// Outcomes per series (`outcomes` `RecordOutcome`; a new series with a
    /// `metric` column is defined first).
    Outcomes,
    /// Drift samples: `series_id`, `sample` (`reference` or `current`),
    /// `value`; one `AssessDrift` per series.
    Drift,
    /// Leads for packets (`packets` `BuildPacket`); columns other than the
    /// lead's own become its fields.
    Leads,
    /// Allowed sources (`ingest` `AddSource`).
    Sources,
    /// Model version metrics (`models` `RecordVersionMetrics`); every other
    /// column is a metric.
    ModelMetrics,
    /// Rollout metrics (`rollouts` `RecordRolloutMetrics`); every other
    /// column is a metric.
    RolloutMetrics,
}

/// A column a kind reads.
pub(crate) struct Field {
    /// Its name in the command (and the canonical header).
    pub name: &'static str,
    /// Other header names taken for it.
    pub aliases: &'static [&'static str],
    /// Whether every row needs it.
    pub required: bool,
}

const fn f(name: &'static str, aliases: &'static [&'static str], required: bool) -> Field {
    Field {
        name,
        aliases,
        required,
    }
}

const DATE: Field = f(
    "date",
    &["at", "day", "time", "timestamp", "recorded_at"],
    false,
);

impl Kind {
    /// Every kind, in the order the console lists them.
    pub const ALL: [Kind; 7] = [
        Kind::Counts,
        Kind::Outcomes,
        Kind::Drift,
        Kind::Leads,
        Kind::Sources,
        Kind::ModelMetrics,
        Kind::RolloutMetrics,
    ];

    /// Its snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Counts => "counts",
            Kind::Outcomes => "outcomes",
            Kind::Drift => "drift",
            Kind::Leads => "leads",
            Kind::Sources => "sources",
            Kind::ModelMetrics => "model_metrics",
            Kind::RolloutMetrics => "rollout_metrics",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name.trim())
    }

    /// The columns it reads, in their positional order (a file without a
    /// header has them in this order).
    pub(crate) fn fields(self) -> &'static [Field] {
        match self {
            Kind::Counts => {
                const F: &[Field] = &[
                    f("experiment", &["experiment_id", "experiment_name"], true),
                    f("variant", &["variant_id", "variation", "arm"], true),
                    f("trials", &["users", "visitors", "exposures", "n"], true),
                    f(
                        "conversions",
                        &["conversion", "successes", "converted"],
                        true,
                    ),
                    DATE,
                ];
                F
            }
            Kind::Outcomes => {
                const F: &[Field] = &[
                    f("series_id", &["series"], true),
                    f("value", &[], true),
                    f("outcome_id", &["id"], false),
                    f("label", &[], false),
                    DATE,
                    f("metric", &[], false),
                    f("subject", &[], false),
                    f("direction", &[], false),
                    f("baseline", &[], false),
                ];
                F
            }
            Kind::Drift => {
                const F: &[Field] = &[
                    f("series_id", &["series"], true),
                    f("sample", &["kind", "set"], true),
                    f("value", &[], true),
                ];
                F
            }
            Kind::Leads => {
                const F: &[Field] = &[
                    f("name", &["lead", "lead_name"], true),
                    f("value", &["price", "amount"], true),
                    f("terms", &[], false),
                    f("source", &[], false),
                    DATE,
                ];
                F
            }
            Kind::Sources => {
                const F: &[Field] = &[f("source", &["name", "source_id"], true)];
                F
            }
            Kind::ModelMetrics => {
                const F: &[Field] = &[
                    f("model_id", &["model"], true),
                    f("version", &[], true),
                    DATE,
                ];
                F
            }
            Kind::RolloutMetrics => {
                const F: &[Field] = &[
                    f("rollout_id", &["rollout"], true),
                    f("samples", &["requests"], true),
                    f("errors", &["failures"], true),
                    DATE,
                ];
                F
            }
        }
    }

    /// Whether columns it does not know are read (as lead fields or metrics)
    /// rather than ignored.
    pub(crate) fn takes_other_columns(self) -> bool {
        matches!(
            self,
            Kind::Leads | Kind::ModelMetrics | Kind::RolloutMetrics
        )
    }

    /// Columns of an exported table that its import leaves alone (a packet's
    /// id and lists, a version's report columns).
    pub(crate) fn ignored(self) -> &'static [&'static str] {
        match self {
            Kind::Leads => &["id", "scripts", "channels", "built_at", "built"],
            _ => &[],
        }
    }
}

/// A header cell as compared with field names: lower case, without `_`,
/// `-` and spaces (`Series ID`, `seriesId` and `series_id` are one name).
pub(crate) fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Why a cell cannot go into a command.
pub(crate) struct CellError {
    /// The field.
    pub column: String,
    /// The rule, a stable code.
    pub code: &'static str,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// A row's cells by field name, and its other columns in file order.
pub(crate) struct Row<'a> {
    pub fields: Vec<(&'static str, &'a str)>,
    pub others: Vec<(&'a str, &'a str)>,
}

impl<'a> Row<'a> {
    /// The trimmed cell of `name`, if the row has one that is not empty.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn text(&self, name: &str) -> Result<&'a str, CellError> {
        self.get(name).ok_or_else(|| CellError {
            column: name.to_string(),
            code: "missing_value",
            message: format!("{name} is empty: every row needs one"),
        })
    }

    fn whole(&self, name: &str) -> Result<i64, CellError> {
        let text = self.text(name)?;
        text.parse::<i64>().map_err(|_| CellError {
            column: name.to_string(),
            code: "not_a_number",
            message: format!("{name} ({text:?}) is not a whole number"),
        })
    }

    fn number(&self, name: &str) -> Result<f64, CellError> {
        let text = self.text(name)?;
        number(name, text)
    }
}

fn number(name: &str, text: &str) -> Result<f64, CellError> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(CellError {
            column: name.to_string(),
            code: "not_a_number",
            message: format!("{name} ({text:?}) is not a finite number"),
        }),
    }
}

/// The command a row of `kind` becomes (its JSON without `at` and `actor`);
/// drift rows are gathered by the planner instead.
pub(crate) fn command(kind: Kind, row: &Row) -> Result<Value, CellError> {
    Ok(match kind {
        Kind::Counts => json!({
            "block": "ab", "type": "RecordCounts",
            "experiment_id": row.text("experiment")?, "variant": row.text("variant")?,
            "trials": row.whole("trials")?, "conversions": row.whole("conversions")?,
        }),
        Kind::Outcomes => {
            let mut c = json!({
                "block": "outcomes", "type": "RecordOutcome",
                "series_id": row.text("series_id")?, "value": row.number("value")?,
            });
            if let Some(id) = row.get("outcome_id") {
                c["outcome_id"] = id.into();
            }
            if let Some(label) = row.get("label") {
                c["label"] = label.into();
            }
            c
        }
        Kind::Drift => json!({}),
        Kind::Leads => {
            let mut fields = Map::new();
            for (k, v) in &row.others {
                if !v.trim().is_empty() {
                    fields.insert(k.trim().to_string(), v.trim().into());
                }
            }
            json!({
                "block": "packets", "type": "BuildPacket",
                "lead": {
                    "name": row.text("name")?, "value": row.number("value")?,
                    "terms": row.get("terms").unwrap_or(""),
                    "source": row.get("source").unwrap_or(""),
                    "fields": fields,
                },
            })
        }
        Kind::Sources => {
            json!({"block": "ingest", "type": "AddSource", "source_id": row.text("source")?})
        }
        Kind::ModelMetrics => json!({
            "block": "models", "type": "RecordVersionMetrics",
            "model_id": row.text("model_id")?, "version": row.text("version")?,
            "metrics": metrics(row)?,
        }),
        Kind::RolloutMetrics => json!({
            "block": "rollouts", "type": "RecordRolloutMetrics",
            "rollout_id": row.text("rollout_id")?,
            "samples": row.whole("samples")?, "errors": row.whole("errors")?,
            "metrics": metrics(row)?,
        }),
    })
}

/// The other columns as metrics (empty cells left out).
fn metrics(row: &Row) -> Result<Map<String, Value>, CellError> {
    let mut m = Map::new();
    for (k, v) in &row.others {
        if !v.trim().is_empty() {
            m.insert(k.trim().to_string(), number(k.trim(), v)?.into());
        }
    }
    Ok(m)
}

/// The series a new-series row defines (`metric` given, the series unknown).
pub(crate) fn define_series(row: &Row) -> Result<Option<Value>, CellError> {
    let Some(metric) = row.get("metric") else {
        return Ok(None);
    };
    let mut c = json!({
        "block": "outcomes", "type": "DefineSeries",
        "series_id": row.text("series_id")?, "metric": metric,
    });
    if let Some(s) = row.get("subject") {
        c["subject"] = s.into();
    }
    if let Some(d) = row.get("direction") {
        c["direction"] = d.into();
    }
    if row.get("baseline").is_some() {
        c["baseline"] = row.number("baseline")?.into();
    }
    Ok(Some(c))
}

/// A drift row: its series, whether it is the reference sample, its value.
pub(crate) fn drift_sample(row: &Row) -> Result<(String, bool, f64), CellError> {
    let series = row.text("series_id")?.to_string();
    let sample = row.text("sample")?;
    let reference = match sample.to_lowercase().as_str() {
        "reference" | "ref" | "baseline" => true,
        "current" | "cur" => false,
        _ => {
            return Err(CellError {
                column: "sample".into(),
                code: "invalid_sample",
                message: format!("sample ({sample:?}) must be reference or current"),
            })
        }
    };
    Ok((series, reference, row.number("value")?))
}
