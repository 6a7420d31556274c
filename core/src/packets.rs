//! Block 23, deal packets: built from lead data, validated, with the
//! recommended scripts (current Primary) and channels (winning channels),
//! templates with `{{field}}` substitution, and JSON export.

use crate::clean_name;
use crate::contract::{BlockCommand, BlockEvent, Decision, Kind, Outcome};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Lead data a packet is built from.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Lead {
    /// The lead's name (non-empty).
    pub name: String,
    /// Deal value (finite, non-negative).
    pub value: f64,
    /// Terms.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub terms: String,
    /// Where the lead came from.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub source: String,
    /// Any other fields, usable in templates.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub fields: BTreeMap<String, String>,
}

/// A built packet.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Packet {
    /// Derived id.
    pub id: Uuid,
    /// The lead.
    pub lead: Lead,
    /// Recommended scripts.
    pub scripts: Vec<String>,
    /// Recommended channels.
    pub channels: Vec<String>,
    /// When it was built.
    pub built_at: DateTime<Utc>,
}

/// The state of block 23.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PacketsState"))]
pub struct State {
    /// Packets in build order.
    pub packets: Vec<Packet>,
    /// Templates by name.
    pub templates: BTreeMap<String, String>,
}

/// Limits of block 23.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PacketsPolicy"))]
#[serde(default)]
pub struct Policy {
    /// At most this many recommended scripts per packet, in 1..=[`MAX_RECOMMENDED`].
    pub max_scripts: usize,
    /// At most this many recommended channels per packet, in 1..=[`MAX_RECOMMENDED`].
    pub max_channels: usize,
}

/// Largest `max_scripts` / `max_channels`: a packet is read by a person.
pub const MAX_RECOMMENDED: usize = 100;

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_scripts: 3,
            max_channels: 3,
        }
    }
}

impl Policy {
    /// Checks the limits.
    pub fn validate(&self) -> Result<(), Error> {
        for (field, value) in [
            ("max_scripts", self.max_scripts),
            ("max_channels", self.max_channels),
        ] {
            if !(1..=MAX_RECOMMENDED).contains(&value) {
                return Err(Error::InvalidPolicy(format!(
                    "{field} ({value}) must be in 1..={MAX_RECOMMENDED}"
                )));
            }
        }
        Ok(())
    }
}

tagged_enum! {
/// Commands of block 23.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PacketsCommand"))]
// On input, a missing `Option` field is `None`: such fields are optional.
#[cfg_attr(feature = "ts", ts(optional_fields = nullable))]
pub enum Command {
    /// Builds a packet; without `scripts`/`channels` the current Primary
    /// scripts and winning channels are recommended.
    BuildPacket {
        /// Lead data.
        lead: Lead,
        /// Scripts to recommend instead of the Primary ones.
        #[serde(default)]
        scripts: Option<Vec<String>>,
        /// Channels to recommend instead of the winning ones.
        #[serde(default)]
        channels: Option<Vec<String>>,
    },
    /// Adds or replaces a template.
    AddTemplate {
        /// Template name.
        #[serde(rename = "template_id", alias = "name")]
        name: String,
        /// Text with `{{field}}` placeholders.
        body: String,
    },
}
}

tagged_enum! {
/// Events of block 23.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "PacketsEvent"))]
pub enum Event {
    /// A packet was built.
    PacketBuilt {
        /// The packet.
        packet: Packet,
    },
    /// A template was added.
    TemplateAdded {
        /// Name.
        name: String,
        /// Text.
        body: String,
    },
}
}

/// Bad input for block 23.
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// Empty lead name.
    #[error("lead name must be non-empty, at most 200 characters and free of control characters")]
    EmptyName,
    /// Value NaN, infinite or negative.
    #[error("lead value ({0}) must be a finite number >= 0")]
    InvalidValue(f64),
    /// Recommended script does not exist.
    #[error("unknown script {0}")]
    UnknownScript(String),
    /// Template name empty.
    #[error("template name must be non-empty")]
    InvalidTemplateName,
    /// Template syntax.
    #[error("template has an unclosed placeholder at byte {0}")]
    UnclosedPlaceholder(usize),
    /// Field used by a template missing from the packet.
    #[error("template {template} needs field {field}, which the packet does not have")]
    MissingField {
        /// Template name.
        template: String,
        /// Field name.
        field: String,
    },
    /// Unknown template.
    #[error("unknown template {0}")]
    UnknownTemplate(String),
    /// Unknown packet.
    #[error("unknown packet {0}")]
    UnknownPacket(String),
    /// Unusable policy.
    #[error("invalid packet policy: {0}")]
    InvalidPolicy(String),
}

impl Error {
    /// Stable code for JS and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptyName => "invalid_name",
            Error::InvalidValue(_) => "invalid_number",
            Error::UnknownScript(_) => "unknown_script",
            Error::InvalidTemplateName => "invalid_name",
            Error::UnclosedPlaceholder(_) => "invalid_template",
            Error::MissingField { .. } => "missing_field",
            Error::UnknownTemplate(_) => "unknown_template",
            Error::UnknownPacket(_) => "unknown_packet",
            Error::InvalidPolicy(_) => "invalid_policy",
        }
    }
}

/// What block 23 needs from the others, read-only.
pub struct Context<'a> {
    /// Every registered script id.
    pub known_scripts: &'a BTreeSet<String>,
    /// Current Primary scripts.
    pub primary_scripts: Vec<String>,
    /// Winning channels.
    pub winning_channels: Vec<String>,
    /// The id for a new packet.
    pub new_id: Uuid,
}

/// Holds every rule of block 23.
pub fn decide(
    _state: &State,
    policy: &Policy,
    cmd: &Command,
    at: DateTime<Utc>,
    ctx: Context<'_>,
) -> Result<Vec<Event>, Error> {
    match cmd {
        Command::BuildPacket {
            lead,
            scripts,
            channels,
        } => {
            let name = clean_name(&lead.name).ok_or(Error::EmptyName)?;
            if !(lead.value.is_finite() && lead.value >= 0.0) {
                return Err(Error::InvalidValue(lead.value));
            }
            let scripts = match scripts {
                Some(given) => {
                    for s in given {
                        if !ctx.known_scripts.contains(s) {
                            return Err(Error::UnknownScript(s.clone()));
                        }
                    }
                    given.clone()
                }
                None => ctx.primary_scripts,
            };
            let channels = channels.clone().unwrap_or(ctx.winning_channels);
            let mut lead = lead.clone();
            lead.name = name.to_string();
            Ok(vec![Event::PacketBuilt {
                packet: Packet {
                    id: ctx.new_id,
                    lead,
                    scripts: scripts.into_iter().take(policy.max_scripts).collect(),
                    channels: channels.into_iter().take(policy.max_channels).collect(),
                    built_at: at,
                },
            }])
        }
        Command::AddTemplate { name, body } => {
            let name = clean_name(name).ok_or(Error::InvalidTemplateName)?;
            placeholders(body)?;
            Ok(vec![Event::TemplateAdded {
                name: name.to_string(),
                body: body.clone(),
            }])
        }
    }
}

/// The placeholder names of a template, or where it is malformed.
pub fn placeholders(body: &str) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut offset = 0;
    while let Some(start) = rest.find("{{") {
        let after = rest.get(start + 2..).unwrap_or("");
        let end = after
            .find("}}")
            .ok_or(Error::UnclosedPlaceholder(offset + start))?;
        out.push(after.get(..end).unwrap_or("").trim().to_string());
        let consumed = start + 2 + end + 2;
        offset += consumed;
        rest = rest.get(consumed..).unwrap_or("");
    }
    Ok(out)
}

/// Fills a template's `{{field}}` placeholders from a packet: `name`,
/// `value`, `terms`, `source`, `scripts`, `channels`, `id`, and the free fields.
pub fn render(template_name: &str, body: &str, packet: &Packet) -> Result<String, Error> {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let mut offset = 0;
    while let Some(start) = rest.find("{{") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 2..).unwrap_or("");
        let end = after
            .find("}}")
            .ok_or(Error::UnclosedPlaceholder(offset + start))?;
        let field = after.get(..end).unwrap_or("").trim();
        let value = match field {
            "name" => Some(packet.lead.name.clone()),
            "value" => Some(format!("{}", packet.lead.value)),
            "terms" => Some(packet.lead.terms.clone()),
            "source" => Some(packet.lead.source.clone()),
            "scripts" => Some(packet.scripts.join(", ")),
            "channels" => Some(packet.channels.join(", ")),
            "id" => Some(packet.id.to_string()),
            other => packet.lead.fields.get(other).cloned(),
        };
        let value = value.ok_or_else(|| Error::MissingField {
            template: template_name.to_string(),
            field: field.to_string(),
        })?;
        out.push_str(&value);
        let consumed = start + 2 + end + 2;
        offset += consumed;
        rest = rest.get(consumed..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

impl State {
    /// Folds one event; never fails.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::PacketBuilt { packet } => self.packets.push(packet.clone()),
            Event::TemplateAdded { name, body } => {
                self.templates.insert(name.clone(), body.clone());
            }
        }
    }

    /// A packet by id.
    pub fn packet(&self, id: &str) -> Result<&Packet, Error> {
        self.packets
            .iter()
            .find(|p| p.id.to_string() == id)
            .ok_or_else(|| Error::UnknownPacket(id.to_string()))
    }

    /// Renders template `template` with packet `id`.
    pub fn render(&self, template: &str, id: &str) -> Result<String, Error> {
        let body = self
            .templates
            .get(template)
            .ok_or_else(|| Error::UnknownTemplate(template.to_string()))?;
        render(template, body, self.packet(id)?)
    }

    /// One packet as pretty JSON.
    pub fn export_packet(&self, id: &str) -> Result<String, Error> {
        let packet = self.packet(id)?;
        Ok(serde_json::to_string_pretty(packet).unwrap_or_default())
    }

    /// Every packet as a pretty JSON array.
    pub fn export_all(&self) -> String {
        serde_json::to_string_pretty(&self.packets).unwrap_or_default()
    }
}

impl BlockCommand for Command {
    type Event = Event;

    fn subject(&self, events: &[Event]) -> String {
        match self {
            Command::BuildPacket { .. } => match events.first() {
                Some(Event::PacketBuilt { packet }) => format!("packet/{}", packet.id),
                _ => "packet".into(),
            },
            Command::AddTemplate { name, .. } => format!("template/{}", name.trim()),
        }
    }

    fn decision_kind(&self) -> Kind {
        match self {
            Command::BuildPacket { .. } => Kind::Packet,
            Command::AddTemplate { .. } => Kind::Command,
        }
    }
}

impl BlockEvent for Event {
    /// The recommendation, so what-if shows a packet that would recommend
    /// other scripts or channels (the packet's id is not compared).
    fn decision(&self) -> Option<Decision> {
        match self {
            Event::PacketBuilt { packet } => Some(Decision::new(
                Kind::Packet,
                format!("packet/{}", packet.lead.name),
                Outcome::Said(format!(
                    "scripts: {}; channels: {}",
                    words(&packet.scripts),
                    words(&packet.channels)
                )),
                "",
            )),
            Event::TemplateAdded { .. } => None,
        }
    }
}

/// A list as the what-if report shows it ("none" when empty).
fn words(list: &[String]) -> String {
    if list.is_empty() {
        "none".into()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn lead(name: &str, value: f64) -> Lead {
        let mut fields = BTreeMap::new();
        fields.insert("city".to_string(), "Austin".to_string());
        Lead {
            name: name.into(),
            value,
            terms: "30 days".into(),
            source: "zillow".into(),
            fields,
        }
    }

    fn build(known: &BTreeSet<String>, cmd: &Command) -> Result<Vec<Event>, Error> {
        let ctx = Context {
            known_scripts: known,
            primary_scripts: vec!["warm-open".into()],
            winning_channels: vec!["sms".into()],
            new_id: crate::ids::derive(0, at(), "packet"),
        };
        decide(&State::default(), &Policy::default(), cmd, at(), ctx)
    }

    #[test]
    fn recommends_primary_scripts_and_winning_channels_unless_given() {
        let known: BTreeSet<String> = ["warm-open".to_string(), "cold".to_string()].into();
        let events = build(
            &known,
            &Command::BuildPacket {
                lead: lead("Ann", 250_000.0),
                scripts: None,
                channels: None,
            },
        );
        let Ok(events) = events else {
            panic!("expected a packet")
        };
        let mut s = State::default();
        events.iter().for_each(|e| s.apply(e));
        let p = s.packets.first().cloned();
        assert_eq!(
            p.as_ref().map(|p| (p.scripts.clone(), p.channels.clone())),
            Some((vec!["warm-open".into()], vec!["sms".into()]))
        );
        let given = build(
            &known,
            &Command::BuildPacket {
                lead: lead("Bo", 1.0),
                scripts: Some(vec!["cold".into()]),
                channels: Some(vec![]),
            },
        );
        assert!(
            matches!(given.as_deref(), Ok([Event::PacketBuilt { packet }]) if packet.scripts == vec!["cold".to_string()] && packet.channels.is_empty())
        );
    }

    #[test]
    fn bad_leads_are_refused_with_typed_errors() {
        let known = BTreeSet::new();
        let b = |l: Lead| {
            build(
                &known,
                &Command::BuildPacket {
                    lead: l,
                    scripts: None,
                    channels: None,
                },
            )
        };
        assert_eq!(b(lead(" ", 1.0)), Err(Error::EmptyName));
        assert_eq!(b(lead("a", -1.0)), Err(Error::InvalidValue(-1.0)));
        assert_eq!(
            b(lead("a", f64::INFINITY)),
            Err(Error::InvalidValue(f64::INFINITY))
        );
        assert!(matches!(
            b(lead("a", f64::NAN)),
            Err(Error::InvalidValue(_))
        ));
        let unknown = build(
            &known,
            &Command::BuildPacket {
                lead: lead("a", 1.0),
                scripts: Some(vec!["ghost".into()]),
                channels: None,
            },
        );
        assert_eq!(unknown, Err(Error::UnknownScript("ghost".into())));
    }

    #[test]
    fn templates_substitute_fields_and_name_the_missing_one() {
        let known = BTreeSet::new();
        let mut s = State::default();
        let events = build(
            &known,
            &Command::BuildPacket {
                lead: lead("Ann", 10.0),
                scripts: None,
                channels: None,
            },
        )
        .unwrap_or_default();
        events.iter().for_each(|e| s.apply(e));
        s.apply(&Event::TemplateAdded {
            name: "t".into(),
            body: "Dear {{ name }} in {{city}}: {{value}} via {{channels}}".into(),
        });
        s.apply(&Event::TemplateAdded {
            name: "bad".into(),
            body: "{{zip}}".into(),
        });
        let id = s
            .packets
            .first()
            .map(|p| p.id.to_string())
            .unwrap_or_default();
        assert_eq!(
            s.render("t", &id),
            Ok("Dear Ann in Austin: 10 via sms".to_string())
        );
        assert_eq!(
            s.render("bad", &id),
            Err(Error::MissingField {
                template: "bad".into(),
                field: "zip".into()
            })
        );
        assert_eq!(placeholders("a {{b"), Err(Error::UnclosedPlaceholder(2)));
        assert!(s.export_all().contains("\"Ann\""));
        assert!(s.export_packet(&id).is_ok());
        assert_eq!(
            s.export_packet("nope"),
            Err(Error::UnknownPacket("nope".into()))
        );
    }
}
