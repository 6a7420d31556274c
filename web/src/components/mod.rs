//! Widgets shared by the pages.

mod csv_import;
mod data_menu;
mod dialog;
mod feedback;
pub mod form_kit;
mod forms_below;
mod operator;
mod panel;
pub mod pickers;
mod ticks;
mod widgets;

pub use csv_import::{CsvDownload, CsvDownloadText, CsvImport};
pub use data_menu::DataMenu;
pub use dialog::ConfirmDialog;
pub use feedback::{Notices, Toasts};
pub use form_kit::FormTail;
pub use forms_below::FormsBelow;
pub use operator::OperatorName;
pub use panel::Panel;
pub use pickers::{not_among_signal, unknown_signal, ChoiceList, IdList, Known};
pub use ticks::{category_text, category_ticks, precise_ticks, tick_text};
pub use widgets::{
    chosen_or_first, fmt_num, fmt_pct, whole_ticks, Field, FormResult, NameField, NameSelect,
    StatusBadge,
};
