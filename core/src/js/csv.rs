//! CSV from JS: `brain.importCsv(kind, text, options)` plans an import
//! without changing anything (the commands to give `executeAll`, and every
//! row the engine would refuse), `brain.exportCsv(table)` writes a table the
//! console shows. The rules are the core's `csv_io`; this file only reads
//! the arguments.

use wasm_bindgen::prelude::*;

use super::brain::{brain_error, read, read_policy, JsBrain};
use super::convert::{is_missing, js_error, string, to_js_json as to_js, JsResult};
use crate::csv_io::{self, Kind, Options, Table};

fn csv_error(e: csv_io::Error) -> JsValue {
    js_error(e.code(), &e.to_string())
}

#[wasm_bindgen(js_class = Brain)]
impl JsBrain {
    /// Plans a CSV import of `kind` (`counts`, `outcomes`, `drift`, `leads`,
    /// `sources`, `model_metrics`, `rollout_metrics`): each row's command,
    /// run against a copy of this brain, and each row that would be refused
    /// (line, column, rule and the engine's message). Nothing changes; apply
    /// `plan.commands` with `executeAll` (all or nothing).
    #[wasm_bindgen(js_name = importCsv, unchecked_return_type = "CsvPlan")]
    pub fn import_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CsvImportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CsvImportOptions | undefined")] options: JsValue,
    ) -> JsResult<JsValue> {
        let name = string(&kind, "kind")?;
        let kind = Kind::parse(&name).ok_or_else(|| csv_error(csv_io::Error::UnknownKind(name)))?;
        let text = string(&text, "text")?;
        let options: Options = if is_missing(&options) {
            Options::default()
        } else {
            read(&options, "options")?
        };
        to_js(&csv_io::plan(&self.inner, kind, &text, &options).map_err(csv_error)?)
    }

    /// A table the console shows as CSV with a header (`experiments`,
    /// `scripts`, `packets`, `sources`, `series`, `alerts`, `models`,
    /// `clones`, `gates`, `audit`; `what_if` with a policy: the decisions
    /// that would differ under it).
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CsvTable | \"what_if\"")] table: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PolicyInput | undefined")] policy: JsValue,
    ) -> JsResult<String> {
        let name = string(&table, "table")?;
        if name == "what_if" {
            let policy = read_policy(&policy, self.inner.policy())?;
            let report = self.inner.what_if(&policy).map_err(brain_error)?;
            return Ok(csv_io::export_what_if(&report));
        }
        let table = Table::parse(&name).map_err(csv_error)?;
        Ok(csv_io::export(&self.inner, table))
    }
}
