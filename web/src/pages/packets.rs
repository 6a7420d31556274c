//! Block 23, deal packets: a lead form with a live preview of the packet the
//! engine would build, the packets table with JSON downloads, a chart of the packets over
//! time by deal value, and a template editor with `{{field}}` substitution.
//! The build form chooses the scripts and channels (`packet_choice`) and is
//! filled from an ingested lead when the ingestion page links here.

use brain_core::packet_export;
use brain_core::packets::{self, Lead, Packet};
use brain_core::{Brain, Command, Envelope, Event};
use leptos::prelude::*;
use leptos_chartistry::*;

use crate::browser::download;
use crate::browser::now;
use crate::components::{category_ticks, fmt_num, precise_ticks, Field, FormResult};
use crate::components::{CsvDownload, CsvImport, FormsBelow, IdList, Known};
use crate::forms::{check_name, parse_fields, parse_number};
use crate::pages::packet_choice::{self, ChoiceBoxes};
use crate::pages::{Page, PageFrame};
use crate::state::use_console;
use brain_core::csv_io;

// ---------------------------------------------------------------- logic

/// Each script as "id: its text" (the text a salesperson reads), one line each.
fn script_texts(ids: &[String]) -> impl IntoView {
    let console = use_console();
    let lines: Vec<String> = console.with(|b| {
        ids.iter()
            .map(|id| match b.script_text(id) {
                Some(text) => format!("{id}: {text}"),
                None => id.clone(),
            })
            .collect()
    });
    if lines.is_empty() {
        return view! { <span>"none"</span> }.into_any();
    }
    view! { <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
}

/// The lead of the form, or the first problem with it.
pub fn lead_from_form(
    name: &str,
    value: &str,
    terms: &str,
    source: &str,
    fields: &str,
) -> Result<Lead, String> {
    let name = check_name("lead name", name)?;
    let value = parse_number("value", value)?;
    if value < 0.0 {
        return Err("value must not be negative".into());
    }
    Ok(Lead {
        name,
        value,
        terms: terms.trim().to_string(),
        source: source.trim().to_string(),
        fields: parse_fields(fields)?,
    })
}

/// The packet the engine would build for the lead now (a dry run of the
/// command, nothing recorded), or the engine's error.
pub fn preview(
    brain: &Brain,
    lead: Lead,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Packet, String> {
    preview_with(brain, lead, at, None, None)
}

/// `preview` with the scripts and channels chosen (`None`: the recommended ones).
pub fn preview_with(
    brain: &Brain,
    lead: Lead,
    at: chrono::DateTime<chrono::Utc>,
    scripts: Option<Vec<String>>,
    channels: Option<Vec<String>>,
) -> Result<Packet, String> {
    let at = brain.state().last_at.map_or(at, |last| last.max(at));
    let env = Envelope::new(
        at,
        Command::Packets(packets::Command::BuildPacket {
            lead,
            scripts,
            channels,
        }),
    );
    let events = brain.decide(&env).map_err(|e| e.to_string())?;
    events
        .into_iter()
        .find_map(|e| match e {
            Event::Packets(packets::Event::PacketBuilt { packet }) => Some(packet),
            _ => None,
        })
        .ok_or_else(|| "the engine built no packet".to_string())
}

/// Renders a template body against a packet: the text, or the missing-field error.
pub fn render_preview(name: &str, body: &str, packet: &Packet) -> Result<String, String> {
    let name = if name.trim().is_empty() {
        "draft"
    } else {
        name.trim()
    };
    packets::render(name, body, packet).map_err(|e| e.to_string())
}

/// One row of the packets table.
#[derive(Clone, Debug, PartialEq)]
pub struct PacketRow {
    pub id: String,
    pub short_id: String,
    pub name: String,
    pub value: String,
    pub terms: String,
    pub source: String,
    pub scripts: String,
    pub channels: String,
    pub built_at: String,
}

/// The table rows, newest first.
pub fn packet_rows(packets: &[Packet]) -> Vec<PacketRow> {
    packets
        .iter()
        .rev()
        .map(|p| {
            let id = p.id.to_string();
            PacketRow {
                short_id: id.chars().take(8).collect(),
                id,
                name: p.lead.name.clone(),
                value: fmt_num(p.lead.value, 0),
                terms: p.lead.terms.clone(),
                source: p.lead.source.clone(),
                scripts: list(&p.scripts),
                channels: list(&p.channels),
                built_at: p.built_at.format("%Y-%m-%d %H:%M").to_string(),
            }
        })
        .collect()
}

/// Packets the chart shows at most (the newest).
pub const CHART_PACKETS: usize = 30;

/// One bar of the packets chart: a packet at its place in build order, with its deal value.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueBar {
    /// Position in the chart, 0 = the oldest shown.
    pub x: f64,
    /// The lead's deal value, in thousands.
    pub value: f64,
}

/// The newest `limit` packets, oldest first: their labels (build time and lead) and bars.
pub fn value_bars(packets: &[Packet], limit: usize) -> (Vec<String>, Vec<ValueBar>) {
    let shown = &packets[packets.len().saturating_sub(limit)..];
    let labels = shown
        .iter()
        .map(|p| format!("{} {}", p.built_at.format("%m-%d %H:%M"), p.lead.name))
        .collect();
    let bars = shown
        .iter()
        .enumerate()
        .map(|(i, p)| ValueBar {
            x: i as f64,
            value: p.lead.value / 1000.0,
        })
        .collect();
    (labels, bars)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

// ---------------------------------------------------------------- view

/// The page.
#[component]
pub fn PacketsPage() -> impl IntoView {
    let console = use_console();
    let name = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let terms = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let fields = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    // Scripts and channels the user chose (None: the engine's recommendation).
    let chosen_scripts = RwSignal::new(None::<Vec<String>>);
    let chosen_channels = RwSignal::new(None::<Vec<String>>);
    // Arrived from the ingestion page's "Build packet": fill in that lead.
    let from = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("ingested"))
        .and_then(|s| s.parse::<u64>().ok())
        .and_then(|seq| console.with_untracked(|b| packet_choice::ingested_lead(b, seq)));
    if let Some(l) = from {
        let texts = packet_choice::form_texts(&l);
        for (signal, text) in [name, value, terms, source, fields].into_iter().zip(texts) {
            signal.set(text);
        }
    }
    // What the engine recommends now (the same for every lead).
    let recommended = Memo::new(move |_| {
        let any = Lead {
            name: "any".into(),
            value: 0.0,
            terms: String::new(),
            source: String::new(),
            fields: Default::default(),
        };
        console
            .with(|b| preview(b, any, now()))
            .map(|p| (p.scripts, p.channels))
            .unwrap_or_default()
    });
    let script_options = Memo::new(move |_| {
        let known = console.with(|b| b.scripts().into_iter().map(|s| s.id).collect::<Vec<_>>());
        packet_choice::options(&known, &recommended.get().0)
    });
    let channel_options = Memo::new(move |_| {
        let known = console.with(packet_choice::known_channels);
        packet_choice::options(&known, &recommended.get().1)
    });
    let lead = Memo::new(move |_| {
        lead_from_form(
            &name.get(),
            &value.get(),
            &terms.get(),
            &source.get(),
            &fields.get(),
        )
    });
    let built = Memo::new(move |_| {
        lead.get().and_then(|l| {
            let (s, c) = (chosen_scripts.get(), chosen_channels.get());
            console.with(|b| preview_with(b, l, now(), s, c))
        })
    });
    let name_err = Signal::derive(move || {
        let n = name.get();
        (!n.is_empty())
            .then(|| check_name("lead name", &n).err())
            .flatten()
    });
    let value_err = Signal::derive(move || {
        let v = value.get();
        if v.is_empty() {
            return None;
        }
        match parse_number("value", &v) {
            Ok(x) if x < 0.0 => Some("value must not be negative".into()),
            Ok(_) => None,
            Err(e) => Some(e),
        }
    });
    let fields_err = Signal::derive(move || parse_fields(&fields.get()).err());
    let build = move |_| {
        let l = match lead.get_untracked() {
            Ok(l) => l,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        // A packet with neither a script nor a channel is refused here, with
        // its reason; one of the two missing is a warning in the preview.
        if let Some(why) = built
            .get_untracked()
            .ok()
            .and_then(|p| packet_export::nothing_to_send(&p))
        {
            result.set(Some((false, why)));
            return;
        }
        let who = l.name.clone();
        let cmd = Command::Packets(packets::Command::BuildPacket {
            lead: l,
            scripts: chosen_scripts.get_untracked(),
            channels: chosen_channels.get_untracked(),
        });
        let msg = format!("packet built for {who}");
        if console.submit(cmd, result, msg) {
            name.set(String::new());
            value.set(String::new());
        }
    };
    view! {
        <PageFrame page=Page::Packets intro="Deal packets for leads, with the current Primary scripts and the winning channels, templates and JSON export.">
            <PacketsTable />
            <FormsBelow summary="Build a packet for a lead">
                <div class="grid">
                    <form class="panel" data-testid="packet-form" on:submit=move |ev| ev.prevent_default()>
                        <h2>"Lead"</h2>
                        <Field label="Name" id="lead-name" value=name error=name_err />
                        <Field label="Value" id="lead-value" kind="number" step="any" value=value error=value_err />
                        <Field label="Terms" id="lead-terms" value=terms />
                        <Field label="Source" id="lead-source" value=source list="known-sources" />
                        <IdList id="known-sources" kind=Known::Sources />
                        <div class="field">
                            <label for="lead-fields">"Other fields (one key=value per line)"</label>
                            <textarea
                                id="lead-fields"
                                data-testid="lead-fields"
                                rows="3"
                                placeholder="city=Austin"
                                prop:value=move || fields.get()
                                on:input=move |ev| fields.set(event_target_value(&ev))
                            ></textarea>
                            <div class="field-error" data-testid="lead-fields-error">{move || fields_err.get()}</div>
                        </div>
                        <ChoiceBoxes
                            legend="Scripts"
                            testid="packet-scripts-choice"
                            options=script_options.into()
                            recommended=Signal::derive(move || recommended.get().0)
                            chosen=chosen_scripts
                        />
                        <ChoiceBoxes
                            legend="Channels"
                            testid="packet-channels-choice"
                            options=channel_options.into()
                            recommended=Signal::derive(move || recommended.get().1)
                            chosen=chosen_channels
                        />
                        <button type="submit" data-testid="packet-build" on:click=build>"Build packet"</button>
                        <FormResult result=result testid="packet-result" />
                    </form>
                    <section class="panel" data-testid="packet-preview">
                        <h2>"Preview"</h2>
                        {move || match (lead.get(), built.get()) {
                            (Err(_), _) if name.get().is_empty() => view! {
                                <p class="empty">"Fill in the lead to see the packet the engine would build."</p>
                            }.into_any(),
                            (Err(e), _) | (Ok(_), Err(e)) => view! {
                                <p class="field-error" data-testid="packet-preview-error">{e}</p>
                            }.into_any(),
                            (Ok(_), Ok(p)) => view! {
                                <ul class="field-error" data-testid="preview-warnings">
                                    {packet_export::warnings(&p).into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                                </ul>
                                <dl class="preview">
                                    <dt>"Recommended scripts"</dt>
                                    <dd data-testid="preview-scripts">{list(&p.scripts)}</dd>
                                    <dt>"What they say"</dt>
                                    <dd data-testid="preview-script-texts">
                                        {script_texts(&p.scripts)}
                                    </dd>
                                    <dt>"Recommended channels"</dt>
                                    <dd data-testid="preview-channels">{list(&p.channels)}</dd>
                                </dl>
                                <pre class="json" data-testid="preview-json">
                                    {serde_json::to_string_pretty(&p).unwrap_or_default()}
                                </pre>
                            }.into_any(),
                        }}
                        <p class="muted">"Unless chosen in the form, scripts are the current Primary scripts (Script promotion), channels the winners of the channel experiments (A/B tracking)."</p>
                    </section>
                </div>
            </FormsBelow>
            <ValueChart />
            <TemplateEditor built=built />
            <div class="csv-tools"><CsvDownload table=csv_io::Table::Packets /></div><CsvImport kind=csv_io::Kind::Leads title="Import leads from CSV" />
        </PageFrame>
    }
}

#[component]
fn PacketsTable() -> impl IntoView {
    let console = use_console();
    let rows = Memo::new(move |_| console.with(|b| packet_rows(b.packets())));
    let download_one = move |id: String| match console.with_untracked(|b| b.export_packet(&id)) {
        Ok(json) => {
            download(&format!("packet-{id}.json"), &json);
            console.toast(true, format!("packet {id} downloaded"));
        }
        Err(e) => console.toast(false, e.to_string()),
    };
    let download_md = move |id: String| match console.with_untracked(|b| b.packet_markdown(&id)) {
        Ok(md) => {
            download(&format!("packet-{id}.md"), &md);
            console.toast(true, format!("packet {id} downloaded as Markdown"));
        }
        Err(e) => console.toast(false, e.to_string()),
    };
    let download_all = move |_| {
        let json = console.with_untracked(|b| b.export_packets());
        download("packets.json", &json);
        console.toast(true, "all packets downloaded");
    };
    view! {
        <section class="panel" data-testid="packets" id="packets">
            <div class="row">
                <h2>"Packets"</h2>
                <button
                    type="button"
                    class="secondary"
                    data-testid="packets-download-all"
                    disabled=move || rows.get().is_empty()
                    on:click=download_all
                >
                    "Download all (JSON)"
                </button>
            </div>
            <Show
                when=move || !rows.get().is_empty()
                fallback=|| view! {
                    <p class="empty" data-testid="packets-empty">
                        "No packets yet — build one below, or load the demo data from the sidebar."
                    </p>
                }
            >
                <div class="table-wrap" tabindex="0">
                    <table data-testid="packets-table">
                        <thead>
                            <tr>
                                <th>"Id"</th>
                                <th>"Lead"</th>
                                <th>"Value"</th>
                                <th>"Terms"</th>
                                <th>"Source"</th>
                                <th>"Scripts"</th>
                                <th>"Channels"</th>
                                <th>"Built"</th>
                                <th>"JSON"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=move || rows.get()
                                key=|r| r.id.clone()
                                children=move |r| {
                                    let id = r.id.clone();
                                    let md_id = r.id.clone();
                                    view! {
                                        <tr data-testid="packet-row">
                                            <td title=r.id.clone()><code>{r.short_id.clone()}</code></td>
                                            <td>{r.name.clone()}</td>
                                            <td class="num">{r.value.clone()}</td>
                                            <td>{r.terms.clone()}</td>
                                            <td>{r.source.clone()}</td>
                                            <td data-testid="packet-scripts">{r.scripts.clone()}</td>
                                            <td data-testid="packet-channels">{r.channels.clone()}</td>
                                            <td>{r.built_at.clone()}</td>
                                            <td>
                                                <button
                                                    type="button"
                                                    class="secondary"
                                                    data-testid="packet-download"
                                                    on:click=move |_| download_one(id.clone())
                                                >
                                                    "Download"
                                                </button>
                                                <button
                                                    type="button"
                                                    class="secondary"
                                                    data-testid="packet-download-md"
                                                    on:click=move |_| download_md(md_id.clone())
                                                >
                                                    "Markdown"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

#[component]
fn TemplateEditor(built: Memo<Result<Packet, String>>) -> impl IntoView {
    let console = use_console();
    let name = RwSignal::new(String::new());
    let body =
        RwSignal::new("Hello {{name}}: {{scripts}} via {{channels}}, value {{value}}.".to_string());
    let packet_id = RwSignal::new(String::new());
    let result = RwSignal::new(None::<(bool, String)>);
    let templates = Memo::new(move |_| {
        console.with(|b| {
            b.state()
                .packets
                .templates
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>()
        })
    });
    let choices = Memo::new(move |_| {
        console.with(|b| {
            b.packets()
                .iter()
                .rev()
                .map(|p| (p.id.to_string(), p.lead.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen = Memo::new(move |_| {
        let id = packet_id.get();
        let all = choices.get();
        if all.iter().any(|(i, _)| *i == id) {
            id
        } else {
            all.first().map(|(i, _)| i.clone()).unwrap_or_default()
        }
    });
    let target = Memo::new(move |_| {
        let id = chosen.get();
        console
            .with(|b| b.packets().iter().find(|p| p.id.to_string() == id).cloned())
            .map(Ok)
            .unwrap_or_else(|| {
                built.get().map_err(|_| {
                    "no packet to render against — build one, or fill in the lead above".to_string()
                })
            })
    });
    let rendered = Memo::new(move |_| {
        target
            .get()
            .and_then(|p| render_preview(&name.get(), &body.get(), &p))
    });
    let unfilled = Memo::new(move |_| {
        target
            .get()
            .map(|p| packet_export::unfilled_fields(&body.get(), &p))
            .unwrap_or_default()
    });
    let save = move |_| {
        let n = match check_name("template name", &name.get_untracked()) {
            Ok(n) => n,
            Err(e) => {
                result.set(Some((false, e)));
                return;
            }
        };
        let cmd = Command::Packets(packets::Command::AddTemplate {
            name: n.clone(),
            body: body.get_untracked(),
        });
        let msg = format!("template {n} saved");
        console.submit(cmd, result, msg);
    };
    view! {
        <section class="panel" data-testid="template-editor">
            <h2>"Templates"</h2>
            <p class="muted">
                "Write {{field}} for a lead field: name, value, terms, source, scripts, channels, id, or any other field of the lead."
            </p>
            <div class="grid">
                <div>
                    <Field label="Template name" id="template-name" value=name />
                    <div class="field">
                        <label for="template-body">"Body"</label>
                        <textarea
                            id="template-body"
                            data-testid="template-body"
                            rows="4"
                            prop:value=move || body.get()
                            on:input=move |ev| body.set(event_target_value(&ev))
                        ></textarea>
                    </div>
                    <div class="field">
                        <label for="template-packet">"Render with packet"</label>
                        <select
                            id="template-packet"
                            data-testid="template-packet"
                            on:change=move |ev| packet_id.set(event_target_value(&ev))
                            prop:value=move || chosen.get()
                        >
                            <For
                                each=move || choices.get()
                                key=|c| c.0.clone()
                                children=move |(id, lead)| {
                                    let s = id.clone();
                                    let label = format!("{lead} ({})", id.chars().take(8).collect::<String>());
                                    view! { <option value=id selected=move || chosen.get() == s>{label}</option> }
                                }
                            />
                            <option value="" disabled=true>"(the preview above, when there are no packets)"</option>
                        </select>
                    </div>
                    <button type="button" data-testid="template-save" on:click=save>"Save template"</button>
                    <FormResult result=result testid="template-result" />
                </div>
                <div>
                    <h3>"Rendered"</h3>
                    {move || match rendered.get() {
                        Ok(text) => view! {
                            <pre class="rendered" data-testid="template-rendered">{text}</pre>
                            <Show when=move || !unfilled.get().is_empty()>
                                <p class="field-error" data-testid="template-unfilled">
                                    {move || format!("This packet leaves these fields empty: {}.", unfilled.get().join(", "))}
                                </p>
                            </Show>
                        }.into_any(),
                        Err(e) => view! { <p class="field-error" data-testid="template-error">{e}</p> }.into_any(),
                    }}
                    <h3>"Saved templates"</h3>
                    <Show when=move || !templates.get().is_empty() fallback=|| view! { <p class="empty">"No templates saved yet."</p> }>
                        <ul class="templates">
                            <For
                                each=move || templates.get()
                                key=|t| format!("{t:?}")
                                children=move |(n, b)| {
                                    let (n2, b2) = (n.clone(), b.clone());
                                    view! {
                                        <li data-testid="template-row">
                                            <button
                                                type="button"
                                                class="secondary"
                                                data-testid="template-load"
                                                on:click=move |_| {
                                                    name.set(n2.clone());
                                                    body.set(b2.clone());
                                                }
                                            >
                                                "Edit"
                                            </button>
                                            " "<strong>{n}</strong>
                                            <div class="muted">{b}</div>
                                        </li>
                                    }
                                }
                            />
                        </ul>
                    </Show>
                </div>
            </div>
        </section>
    }
}

#[component]
fn ValueChart() -> impl IntoView {
    let console = use_console();
    let chart = Memo::new(move |_| {
        console.with(|b| {
            let all = b.packets();
            (all.len(), value_bars(all, CHART_PACKETS))
        })
    });
    let body = move || {
        let (total, (labels, bars)) = chart.get();
        if bars.is_empty() {
            return view! {
                <p class="empty" data-testid="packets-chart-empty">"No packets yet — build one for a lead to see it here."</p>
            }
            .into_any();
        }
        let shown = if total > bars.len() {
            format!("the newest {} of {total} packets", bars.len())
        } else {
            format!("{total} packet(s)")
        };
        let caption = format!(
            "Each bar is one packet, oldest on the left, labelled with when it was built (UTC) and the lead; its height is the lead's deal value in thousands. Showing {shown}."
        );
        let data = Signal::derive(move || bars.clone());
        view! {
            <Chart
                aspect_ratio=AspectRatio::from_env_width(260.0)
                left=precise_ticks()
                bottom=category_ticks(labels)
                top=Legend::middle()
                inner=[AxisMarker::left_edge().into_inner(), YGridLine::default().into_inner()]
                series=Series::new(|d: &ValueBar| d.x)
                    .with_min_y(0.0)
                    .bar(Bar::new(|d: &ValueBar| d.value).with_name("deal value (thousands)").with_gap(0.2))
                data=data
            />
            <p class="muted" data-testid="packets-chart-caption">{caption}</p>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>"Packets over time, by deal value"</h2>
            <div class="chart" data-testid="packets-chart">{body}</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_lead_needs_a_name_and_a_non_negative_value() {
        assert!(lead_from_form("", "1", "", "", "").is_err());
        assert!(lead_from_form("Ann", "-1", "", "", "").is_err());
    }

    #[test]
    fn preview_recommends_primary_scripts_and_winning_channels() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let b = Brain::demo(at);
        let lead = lead_from_form("Cy", "1000", "cash", "mls", "city=Waco");
        let Ok(lead) = lead else { panic!("lead") };
        let p = preview(&b, lead, at);
        let Ok(p) = p else { panic!("preview") };
        assert_eq!(p.scripts, vec!["warm-open".to_string()]);
        assert_eq!(p.channels, vec!["sms".to_string()]);
        assert_eq!(b.packets().len(), 2, "nothing recorded");
        assert_eq!(
            render_preview("t", "{{name}} in {{city}}", &p),
            Ok("Cy in Waco".to_string())
        );
        assert!(render_preview("t", "{{zip}}", &p).is_err_and(|e| e.contains("zip")));
    }

    #[test]
    fn the_value_chart_shows_the_newest_packets_oldest_first_in_thousands() {
        let at = Utc
            .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
            .single()
            .unwrap_or_default();
        let b = Brain::demo(at);
        let all = b.packets();
        let (labels, bars) = value_bars(all, CHART_PACKETS);
        assert_eq!(bars.len(), all.len());
        assert!(labels[0].ends_with(&all[0].lead.name));
        assert_eq!(bars[0].value, all[0].lead.value / 1000.0);
        let (labels, bars) = value_bars(all, 1);
        assert_eq!(bars.len(), 1);
        assert!(labels[0].ends_with(&all[all.len() - 1].lead.name));
    }
}
