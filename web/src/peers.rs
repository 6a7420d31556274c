//! The console's other tabs open now, known through a `BroadcastChannel`.
//!
//! Why: the save fence ([`crate::fence`]) guards against another tab's save
//! that has not reached this tab's copy of localStorage yet, at the price of
//! an IndexedDB read before every save. With no other tab open there is no
//! such save, and that read would only hold the save back: a reload or a
//! navigation right after an action (or a demo load, whose whole new
//! generation cannot be kept in sessionStorage, see [`crate::unsaved`])
//! would then lose it. So each tab says "hello" when it starts, answers
//! "here" to a newcomer and says "bye" when its page is hidden for good; a
//! save is fenced only when another tab is known. A tab that crashed never
//! says "bye": the others then fence needlessly, which costs time, not data.
//! The window left: a tab opened a moment ago whose "hello" has not arrived
//! yet, saving in the same milliseconds as this one.

use std::cell::RefCell;
use std::collections::BTreeSet;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The channel's name (one per origin, like the storage it guards).
pub const CHANNEL: &str = "brain.console.tabs";

thread_local! {
    static PEERS: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// A message between tabs: what happened, and which tab says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A tab started (or came back from the back-forward cache).
    Hello(String),
    /// A tab answers a newcomer's hello.
    Here(String),
    /// A tab's page is going away.
    Bye(String),
}

impl Message {
    /// The message's text on the channel: `"hello tab-…"`.
    pub fn render(&self) -> String {
        match self {
            Message::Hello(t) => format!("hello {t}"),
            Message::Here(t) => format!("here {t}"),
            Message::Bye(t) => format!("bye {t}"),
        }
    }

    /// Read a message; anything else on the channel is ignored.
    pub fn parse(text: &str) -> Option<Message> {
        let (word, tab) = text.split_once(' ')?;
        let tab = tab.to_string();
        match word {
            "hello" => Some(Message::Hello(tab)),
            "here" => Some(Message::Here(tab)),
            "bye" => Some(Message::Bye(tab)),
            _ => None,
        }
    }
}

/// Apply a message from another tab to the set of `peers`; the answer this
/// tab (`me`) sends back, if any.
pub fn receive(peers: &mut BTreeSet<String>, me: &str, message: Message) -> Option<Message> {
    match message {
        Message::Hello(tab) => {
            peers.insert(tab);
            Some(Message::Here(me.to_string()))
        }
        Message::Here(tab) => {
            peers.insert(tab);
            None
        }
        Message::Bye(tab) => {
            peers.remove(&tab);
            None
        }
    }
}

/// Whether no other tab of the console is known to be open.
pub fn alone() -> bool {
    PEERS.with(|p| p.borrow().is_empty())
}

/// Join the channel as tab `me` (once, at start-up). Without
/// `BroadcastChannel` the tab counts as alone, as before the fence.
pub fn start(me: &str) {
    let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else {
        return;
    };
    let post = {
        let channel = channel.clone();
        move |m: Message| {
            let _ = channel.post_message(&m.render().into());
        }
    };
    let on_message = {
        let me = me.to_string();
        let post = post.clone();
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let Some(message) = ev.data().as_string().as_deref().and_then(Message::parse) else {
                return;
            };
            if let Some(answer) = PEERS.with(|p| receive(&mut p.borrow_mut(), &me, message)) {
                post(answer);
            }
        })
    };
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_page = {
        let me = me.to_string();
        let post = post.clone();
        Closure::<dyn Fn(web_sys::PageTransitionEvent)>::new(
            move |ev: web_sys::PageTransitionEvent| match ev.type_().as_str() {
                // Kept in the back-forward cache, it may come back: then hello again.
                "pagehide" => post(Message::Bye(me.clone())),
                "pageshow" if ev.persisted() => post(Message::Hello(me.clone())),
                _ => {}
            },
        )
    };
    for event in ["pagehide", "pageshow"] {
        let _ = window.add_event_listener_with_callback(event, on_page.as_ref().unchecked_ref());
    }
    on_page.forget();
    post(Message::Hello(me.to_string()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_others_are_ignored() {
        for m in [
            Message::Hello("tab-1".into()),
            Message::Here("tab-2".into()),
            Message::Bye("tab-3".into()),
        ] {
            assert_eq!(Message::parse(&m.render()), Some(m));
        }
        assert_eq!(Message::parse("hi tab-1"), None);
        assert_eq!(Message::parse("hello"), None);
    }

    #[test]
    fn a_newcomer_is_answered_and_a_leaver_forgotten() {
        let mut peers = BTreeSet::new();
        let answer = receive(&mut peers, "tab-a", Message::Hello("tab-b".into()));
        assert_eq!(answer, Some(Message::Here("tab-a".into())));
        assert_eq!(
            receive(&mut peers, "tab-a", Message::Here("tab-c".into())),
            None
        );
        assert_eq!(peers.len(), 2);
        receive(&mut peers, "tab-a", Message::Bye("tab-b".into()));
        receive(&mut peers, "tab-a", Message::Bye("tab-c".into()));
        assert!(peers.is_empty(), "alone again");
    }
}
