//! A deal packet as a salesperson reads it (block 23): what is missing from it (no script,
//! no channel, template fields it cannot fill) and the packet as Markdown, with each
//! recommended script's text rather than its id.
//!
//! Why warnings and not refusals: a packet with no script is what the engine builds when no
//! script is Primary yet, and logs that built such packets must still replay; the console
//! shows the warning beside the packet and in its export instead.

use crate::brain::Brain;
use crate::error::BrainError;
use crate::packets::{placeholders, Packet};
use crate::promotion;
use std::collections::BTreeMap;

/// What a packet lacks, in sentences; empty when it has a script and a channel.
pub fn warnings(packet: &Packet) -> Vec<String> {
    let mut out = Vec::new();
    if packet.scripts.is_empty() {
        out.push(
            "no script: no script is Primary and none was chosen; promote a script or choose one"
                .to_string(),
        );
    }
    if packet.channels.is_empty() {
        out.push(
            "no channel: no channel variant has won an experiment and none was chosen; choose one"
                .to_string(),
        );
    }
    out
}

/// Why a salesperson could not use `packet` at all, when it has neither a
/// script nor a channel: the console refuses to build such a packet (one of
/// the two missing is only a warning, see [`warnings`]). The engine still
/// accepts it, so histories written before keep replaying to the same state.
pub fn nothing_to_send(packet: &Packet) -> Option<String> {
    (packet.scripts.is_empty() && packet.channels.is_empty()).then(|| {
        "nothing to send: the packet would have no script and no channel; promote a script to \
         Primary or choose a script or a channel above"
            .to_string()
    })
}

/// The template's placeholders that `packet` fills with nothing (an empty script or channel
/// list, empty terms or source, or a free field it does not have), each once, in order.
pub fn unfilled_fields(body: &str, packet: &Packet) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for field in placeholders(body).unwrap_or_default() {
        let empty = match field.as_str() {
            "name" | "value" | "id" => false,
            "terms" => packet.lead.terms.trim().is_empty(),
            "source" => packet.lead.source.trim().is_empty(),
            "scripts" => packet.scripts.is_empty(),
            "channels" => packet.channels.is_empty(),
            other => packet
                .lead
                .fields
                .get(other)
                .is_none_or(|v| v.trim().is_empty()),
        };
        if empty && !out.contains(&field) {
            out.push(field);
        }
    }
    out
}

/// The latest text of script `id`, if the promotion block knows it.
fn script_text<'a>(scripts: &'a BTreeMap<String, promotion::Script>, id: &str) -> Option<&'a str> {
    scripts
        .get(id)
        .and_then(|s| s.versions.last())
        .map(|v| v.body.as_str())
}

/// The packet as Markdown: the lead, each script with its text, the channels, and what the
/// packet lacks.
pub fn to_markdown(packet: &Packet, scripts: &BTreeMap<String, promotion::Script>) -> String {
    let lead = &packet.lead;
    let mut md = format!("# Deal packet for {}\n\n", lead.name);
    md.push_str(&format!("- Value: {}\n", lead.value));
    let or_dash = |s: &str| {
        if s.trim().is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    md.push_str(&format!("- Terms: {}\n", or_dash(&lead.terms)));
    md.push_str(&format!("- Source: {}\n", or_dash(&lead.source)));
    for (k, v) in &lead.fields {
        md.push_str(&format!("- {k}: {v}\n"));
    }
    md.push_str(&format!(
        "- Built: {}\n- Packet: {}\n\n## Scripts\n\n",
        packet.built_at.format("%Y-%m-%d %H:%M UTC"),
        packet.id
    ));
    if packet.scripts.is_empty() {
        md.push_str("None.\n");
    }
    for id in &packet.scripts {
        let text = script_text(scripts, id).unwrap_or("(no text recorded)");
        let quoted: Vec<String> = text.lines().map(|l| format!("> {l}")).collect();
        md.push_str(&format!("### {id}\n\n{}\n\n", quoted.join("\n")));
    }
    md.push_str("\n## Channels\n\n");
    if packet.channels.is_empty() {
        md.push_str("None.\n");
    }
    for c in &packet.channels {
        md.push_str(&format!("- {c}\n"));
    }
    let warned = warnings(packet);
    if !warned.is_empty() {
        md.push_str("\n## Warnings\n\n");
        for w in warned {
            md.push_str(&format!("- {w}\n"));
        }
    }
    md
}

impl Brain {
    /// Packet `id` as Markdown, scripts as their text.
    pub fn packet_markdown(&self, id: &str) -> Result<String, BrainError> {
        let packet = self.state().packets.packet(id)?;
        Ok(to_markdown(packet, &self.state().promotion.scripts))
    }

    /// What packet `id` lacks (no script, no channel), in sentences.
    pub fn packet_warnings(&self, id: &str) -> Result<Vec<String>, BrainError> {
        Ok(warnings(self.state().packets.packet(id)?))
    }

    /// The latest text of script `id` (what a packet's reader wants, not its id).
    pub fn script_text(&self, id: &str) -> Option<String> {
        script_text(&self.state().promotion.scripts, id).map(str::to_string)
    }

    /// The placeholders of template `template` that packet `id` fills with nothing.
    pub fn template_unfilled_fields(
        &self,
        template: &str,
        id: &str,
    ) -> Result<Vec<String>, BrainError> {
        let packets = &self.state().packets;
        let packet = packets.packet(id)?;
        let body = packets.templates.get(template).ok_or_else(|| {
            BrainError::from(crate::packets::Error::UnknownTemplate(template.to_string()))
        })?;
        Ok(unfilled_fields(body, packet))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    fn demo() -> Brain {
        Brain::demo(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                .single()
                .unwrap_or_default(),
        )
    }

    /// Builds a packet on `brain` from `command`'s fields; its id.
    fn build(brain: &mut Brain, fields: serde_json::Value) -> String {
        let at = brain.state().last_at.unwrap_or_default() + chrono::Duration::minutes(1);
        let mut cmd = json!({"at": at.to_rfc3339(), "block": "packets", "type": "BuildPacket",
            "lead": {"name": "Ann Lee", "value": 320000.0}});
        if let (Some(c), Some(f)) = (cmd.as_object_mut(), fields.as_object()) {
            c.extend(f.clone());
        }
        let built = brain.execute_json(&cmd.to_string());
        assert!(built.is_ok(), "{built:?}");
        brain
            .packets()
            .last()
            .map(|p| p.id.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_packet_without_script_or_channel_is_warned_about_and_a_full_one_is_not() {
        let mut brain = demo();
        let empty = build(&mut brain, json!({"scripts": [], "channels": []}));
        let warned = brain.packet_warnings(&empty).unwrap_or_default();
        assert_eq!(warned.len(), 2, "{warned:?}");
        assert!(warned[0].starts_with("no script") && warned[1].starts_with("no channel"));
        let packet = |brain: &Brain, id: &str| brain.state().packets.packet(id).cloned();
        let empty_packet = packet(&brain, &empty);
        assert!(empty_packet
            .as_ref()
            .ok()
            .and_then(nothing_to_send)
            .is_some_and(|m| m.starts_with("nothing to send")));
        let channel_only = build(&mut brain, json!({"scripts": [], "channels": ["sms"]}));
        assert_eq!(
            packet(&brain, &channel_only)
                .ok()
                .and_then(|p| nothing_to_send(&p)),
            None
        );
        let script = brain
            .state()
            .promotion
            .scripts
            .keys()
            .next()
            .cloned()
            .unwrap_or_default();
        let full = build(
            &mut brain,
            json!({"scripts": [script], "channels": ["email"]}),
        );
        assert_eq!(brain.packet_warnings(&full).map(|w| w.len()), Ok(0));
        assert_eq!(
            brain.packet_warnings("nope").map_err(|e| e.code()),
            Err("unknown_packet")
        );
    }

    #[test]
    fn the_markdown_shows_scripts_as_their_text_and_the_warnings() {
        let mut brain = demo();
        let (script, text) = brain
            .state()
            .promotion
            .scripts
            .iter()
            .find_map(|(id, s)| s.versions.last().map(|v| (id.clone(), v.body.clone())))
            .unwrap_or_default();
        assert!(!text.is_empty());
        let id = build(&mut brain, json!({"scripts": [script], "channels": []}));
        let md = brain.packet_markdown(&id).unwrap_or_default();
        assert!(md.starts_with("# Deal packet for Ann Lee\n"), "{md}");
        assert!(
            md.contains(&format!(
                "### {script}\n\n> {}",
                text.lines().next().unwrap_or("")
            )),
            "{md}"
        );
        assert!(md.contains("## Channels\n\nNone."), "{md}");
        assert!(md.contains("## Warnings\n\n- no channel"), "{md}");
        assert!(!md.contains("no script"), "{md}");
    }

    #[test]
    fn a_template_names_the_fields_a_packet_fills_with_nothing() {
        let mut brain = demo();
        let id = build(&mut brain, json!({"scripts": [], "channels": []}));
        let packet = brain.state().packets.packet(&id).cloned();
        let packet = packet.unwrap_or_else(|_| panic!("built"));
        let body = "Hello {{name}}: {{scripts}} via {{channels}}, value {{value}}, {{terms}}, {{ region }}, {{channels}}.";
        assert_eq!(
            unfilled_fields(body, &packet),
            vec!["scripts", "channels", "terms", "region"]
        );
        assert!(unfilled_fields("Hello {{name}}, {{value}}", &packet).is_empty());
        let at = brain.state().last_at.unwrap_or_default() + chrono::Duration::minutes(1);
        let add = json!({"at": at.to_rfc3339(), "block": "packets", "type": "AddTemplate",
            "name": "t", "body": body});
        assert!(brain.execute_json(&add.to_string()).is_ok());
        assert_eq!(
            brain.template_unfilled_fields("t", &id).map(|f| f.len()),
            Ok(4)
        );
        assert_eq!(
            brain
                .template_unfilled_fields("ghost", &id)
                .map_err(|e| e.code()),
            Err("unknown_template")
        );
    }
}
