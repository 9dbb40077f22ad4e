//! The wasm-bindgen boundary the Web Worker (`www/worker.js`) drives: commands in, events out,
//! both plain JS objects (`serde-wasm-bindgen`). All policy lives in [`Session`]; this file
//! only converts. Calls that await hold the session for the whole await, so the worker makes
//! one call at a time.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::catalog::Catalog;
use crate::session::{BackendChoice, Command, Devices, ErrorKind, Event, Session};

/// The threaded build's `initThreadPool(threads)` (wasm-bindgen-rayon; target feature
/// `atomics`): starts `threads` Web Workers as rayon's global pool. The worker awaits it before
/// [`WebSession::open`], so that the CPU backend trains on them.
#[cfg(target_feature = "atomics")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Wall-clock budget of one chunk of steps: the worker takes messages between chunks.
const CHUNK_MS: f64 = 100.0;
/// Per-batch values (steps × models) kept for the exports: 13 models × 150,000 steps.
const RECORD_FLOATS: usize = 2_000_000;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))?)
}

/// The catalog (see [`Catalog`]) as a JS object.
#[wasm_bindgen]
pub fn catalog() -> Result<JsValue, JsError> {
    to_js(&Catalog::new())
}

/// A [`Session`] for the worker.
#[wasm_bindgen]
pub struct WebSession {
    session: Session,
}

#[wasm_bindgen]
impl WebSession {
    /// Opens the backend `backend` asks for (`"auto" | "gpu" | "cpu"`: `auto` times a few
    /// steps of each run on both and trains on the faster, so a software adapter such as
    /// SwiftShader loses to the CPU; `gpu` takes any adapter, and without WebGPU falls back to
    /// the CPU and says why). The CPU backend runs on the worker's thread, and in the threaded
    /// build on rayon's pool too (`initThreadPool`, started by the worker first).
    pub async fn open(backend: JsValue) -> WebSession {
        let choice: BackendChoice = serde_wasm_bindgen::from_value(backend).unwrap_or_default();
        let devices = match Devices::open(choice, 1).await {
            Ok(devices) => devices,
            // WebGPU was asked for and is not there: the page still trains, and says why.
            Err(e) => Devices::cpu_only(1, format!("{e}; training on the CPU")),
        };
        let mut session = Session::new(devices, Box::new(js_sys::Date::now), CHUNK_MS);
        // The page draws from the events; the worker keeps the per-batch record for the
        // exports up to 16 MB (4 bytes × 2 metrics), the lesson's run many times over.
        session.record_steps(RECORD_FLOATS);
        session.announce_backend();
        WebSession { session }
    }

    /// Carries out a command (`{type: "configure", …}`, see `Command`); a command that does
    /// not parse becomes an error event.
    pub async fn command(&mut self, command: JsValue) {
        match serde_wasm_bindgen::from_value::<Command>(command) {
            Ok(command) => self.session.command(command).await,
            Err(e) => self
                .session
                .report_error(ErrorKind::Internal, format!("the page sent a command the worker does not know: {e}")),
        }
    }

    /// Does the work that is due; resolves to whether to call again (after letting messages in).
    pub async fn tick(&mut self) -> bool {
        self.session.tick_reporting().await
    }

    /// The events since the last call (see `Event`), oldest first.
    pub fn events(&mut self) -> Result<Vec<JsValue>, JsError> {
        self.session.take_events().iter().map(to_js::<Event>).collect()
    }
}
