//! Widgets shared by the pages.

pub(crate) mod data_menu;
mod feedback;
mod widgets;

pub use data_menu::DataMenu;
pub use feedback::{Notices, Toasts};
pub use widgets::{
    chosen_or_first, download, fmt_num, fmt_pct, show_outcome, Field, FormResult, NameField,
    NameSelect, StatusBadge,
};
