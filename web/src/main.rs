//! Entry point of the console: set the panic hook and mount the app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(brain_web::app::App);
}
