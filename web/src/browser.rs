//! The browser as the console uses it: its clocks, a tab id and random
//! nonces, the Web Locks API, yielding to the page between slices of work, a
//! performance measure, and downloads.
//!
//! Kept apart from the console's logic so that the logic reads as plain
//! Rust and the few `web_sys` / `js_sys` calls are in one place. (Storage
//! is in [`crate::storage`], the only user of gloo-storage.)

use chrono::{DateTime, Utc};
use wasm_bindgen::JsCast;

/// The browser's time, as the engine takes it (commands are stamped with it); a test can
/// time-travel it with `?now=` (see [`crate::clock`]).
pub fn now() -> DateTime<Utc> {
    crate::clock::now()
}

/// A random id for this tab, written into the heads it saves (so a tab
/// knows which writes were its own).
pub fn tab_id() -> String {
    format!("tab-{:08x}", random_u32())
}

/// 32 random bits from `crypto.getRandomValues` (`Math.random` where it is
/// missing): a per-tab nonce, so that two tabs never pick the same epoch.
/// Randomness belongs here, in the console, never in the core.
pub fn random_u32() -> u32 {
    let words = js_sys::Uint32Array::new_with_length(1);
    let filled = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"crypto".into()).ok())
        .filter(|c| !c.is_undefined() && !c.is_null())
        .and_then(|crypto| {
            let get = js_sys::Reflect::get(&crypto, &"getRandomValues".into()).ok()?;
            get.dyn_ref::<js_sys::Function>()?
                .call1(&crypto, &words)
                .ok()
        })
        .is_some();
    if filled {
        words.get_index(0)
    } else {
        (js_sys::Math::random() * f64::from(u32::MAX)) as u32
    }
}

/// Work that continues asynchronously (reading or writing IndexedDB).
pub type Later = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// Run `work` while this tab holds the exclusive Web Lock `name`
/// (`navigator.locks.request`): every tab of the origin queues on the same
/// name, first come first served, so no other tab's `work` runs in between.
/// `work` is synchronous (localStorage is); when it returns more work to do
/// later (IndexedDB is asynchronous), the lock is held until that is done
/// too. Returns `false`, having run `work` at once (and spawned what it left
/// for later), where the browser has no Web Locks (the caller then re-checks
/// what it wrote, see [`crate::sync`]); `true` when `work` is queued (it runs
/// in a later task).
pub fn with_lock(name: &str, work: impl FnOnce() -> Option<Later> + 'static) -> bool {
    let locks = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"navigator".into()).ok())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|l| {
        js_sys::Reflect::get(l, &"request".into())
            .ok()
            .and_then(|r| r.dyn_into::<js_sys::Function>().ok())
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        run_now(work);
        return false;
    };
    // Shared so that, if the request itself throws, the work still runs here.
    let work = std::rc::Rc::new(std::cell::RefCell::new(Some(work)));
    let queued = work.clone();
    let callback = wasm_bindgen::closure::Closure::once_into_js(
        move |_lock: wasm_bindgen::JsValue| -> wasm_bindgen::JsValue {
            let later = queued.borrow_mut().take().and_then(|work| work());
            match later {
                // The lock is released when this promise settles.
                Some(later) => wasm_bindgen_futures::future_to_promise(async move {
                    later.await;
                    Ok(wasm_bindgen::JsValue::UNDEFINED)
                })
                .into(),
                None => wasm_bindgen::JsValue::UNDEFINED,
            }
        },
    );
    if request.call2(&locks, &name.into(), &callback).is_err() {
        if let Some(work) = work.borrow_mut().take() {
            run_now(work);
        }
        return false;
    }
    true
}

/// Run `work` now, and what it leaves for later as soon as the page can.
pub fn run_now(work: impl FnOnce() -> Option<Later>) {
    if let Some(later) = work() {
        wasm_bindgen_futures::spawn_local(later);
    }
}

/// Milliseconds on the page's monotonic clock (for slicing long work).
pub fn clock() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Record the replay's duration as the performance measure `brain:replay`
/// (devtools' timeline and tests/bench/console-actions.mjs read it).
pub fn measure_replay(started: f64, commands: usize) {
    let Some(p) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &started.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &p.now().into());
    let _ = js_sys::Reflect::set(&options, &"detail".into(), &(commands as f64).into());
    if let Ok(measure) = js_sys::Reflect::get(&p, &"measure".into()) {
        if let Some(measure) = measure.dyn_ref::<js_sys::Function>() {
            let _ = measure.call2(&p, &"brain:replay".into(), &options);
        }
    }
}

/// Let the browser handle events and paint before the next slice.
pub async fn yield_to_browser() {
    sleep(0).await;
}

/// Resolve after `ms` milliseconds (a `setTimeout`), the page running meanwhile.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Offer `content` as a file download named `name`.
pub fn download(name: &str, content: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Reads the file chosen in a file input's `change` event as text and hands
/// it to `done` (`None` when it cannot be read as text); the input is cleared
/// so that choosing the same file again fires another event. Nothing happens
/// when no file was chosen.
pub fn read_chosen_file(ev: &leptos::ev::Event, done: impl FnOnce(Option<String>) + 'static) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    input.set_value("");
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        done(text.ok().and_then(|t| t.as_string()));
    });
}
