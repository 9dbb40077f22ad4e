//! Where a session's trainers get their backends: the CPU, and the GPU opened once (one
//! adapter request; every trainer gets a sibling sharing its device and compiled kernels).

use crate::backend::cpu::CpuBackend;
use crate::backend::gpu::GpuBackend;
use crate::backend::{Backend, BackendError, TrainOps};

use super::events::{BackendChoice, BackendKind, Event};
use super::trial::Trial;
use crate::train::{ModelSpec, TrainConfig};

/// Makes a fresh backend on an opened accelerator for each new trainer.
type MakeBackend = Box<dyn Fn() -> Box<dyn Backend>>;

/// The backends a session can make, and which one trains now and why.
pub struct Devices {
    threads: usize,
    gpu: Option<MakeBackend>,
    /// What new runs are built on, and why (the choice at opening, or a switch).
    preferred: (BackendKind, String),
    /// What the current run trains on: the preferred one, or the CPU for a run too large for
    /// the GPU.
    kind: BackendKind,
    /// Whether the GPU was asked for by name (`gpu`, not `auto`): then it is never swapped for
    /// the CPU silently.
    gpu_required: bool,
    /// Why, for people.
    reason: String,
    /// `auto` found a GPU and no person has chosen since: each new number of models is timed
    /// on both backends before its run is built (`super::trial`).
    by_measurement: bool,
    /// Every such measurement, and the one that chose the backend now preferred.
    trials: Vec<Trial>,
    trial: Option<Trial>,
}

impl Devices {
    /// Opens what `choice` asks for. `auto` tries the GPU once and takes the CPU (saying
    /// why) when there is none; with an adapter, the first run (and each later one with a
    /// different number of models) is timed on both backends and trains on the faster (see
    /// [`Devices::chooses_by_measurement`]); until then a software renderer stands behind the CPU. `gpu`
    /// takes any adapter and fails without one. `threads` is the CPU backend's thread count
    /// (0: one per core).
    ///
    /// # Errors
    /// [`BackendError`] when `choice` is `gpu` and no GPU device can be opened.
    pub async fn open(choice: BackendChoice, threads: usize) -> Result<Devices, BackendError> {
        if choice == BackendChoice::Cpu {
            return Ok(Devices::cpu_only(threads, "the CPU was chosen".into()));
        }
        match open_gpu().await {
            Ok(gpu) => {
                let (name, software) = (gpu.name(), gpu.is_software());
                let make = move || Box::new(gpu.sibling()) as Box<dyn Backend>;
                if choice == BackendChoice::Gpu {
                    return Ok(Devices::with_gpu(threads, make, "the GPU was chosen".into()).requiring_gpu());
                }
                let found = if software { "a software GPU adapter" } else { "a GPU adapter" };
                let reason = format!("{found} was found ({name}); the run will time it against the CPU");
                let mut devices = Devices::with_gpu(threads, make, reason).choosing_by_measurement();
                if software {
                    devices.choose_measured(BackendKind::Cpu, devices.reason.clone());
                }
                Ok(devices)
            }
            Err(e) if choice == BackendChoice::Gpu => Err(e),
            Err(BackendError::NoAdapter(why)) => Ok(Devices::cpu_only(threads, format!("{why}; training on the CPU"))),
            Err(e) => Ok(Devices::cpu_only(threads, format!("{e}; training on the CPU"))),
        }
    }

    /// The CPU alone; `reason` says why there is no GPU.
    pub fn cpu_only(threads: usize, reason: String) -> Devices {
        Devices {
            threads,
            gpu: None,
            preferred: (BackendKind::Cpu, reason.clone()),
            kind: BackendKind::Cpu,
            gpu_required: false,
            reason,
            by_measurement: false,
            trials: Vec::new(),
            trial: None,
        }
    }

    /// A GPU made by `make` (one fresh backend per trainer), chosen for new trainers.
    pub fn with_gpu(threads: usize, make: impl Fn() -> Box<dyn Backend> + 'static, reason: String) -> Devices {
        Devices {
            threads,
            gpu: Some(Box::new(make)),
            preferred: (BackendKind::Gpu, reason.clone()),
            kind: BackendKind::Gpu,
            gpu_required: false,
            reason,
            by_measurement: false,
            trials: Vec::new(),
            trial: None,
        }
    }

    pub fn kind(&self) -> BackendKind {
        self.kind
    }

    /// `auto`'s way with a GPU: each new number of models is timed on both backends before
    /// its run is built, until a person switches.
    pub fn choosing_by_measurement(mut self) -> Devices {
        self.by_measurement = true;
        self
    }

    /// The GPU was asked for by name: a run it cannot hold is refused, not moved to the CPU.
    pub fn requiring_gpu(mut self) -> Devices {
        self.gpu_required = true;
        self
    }

    pub fn gpu_required(&self) -> bool {
        self.gpu_required
    }

    /// A fresh backend of `kind`, or `None` when that is the GPU and there is none.
    pub fn make(&self, kind: BackendKind) -> Option<Box<dyn Backend>> {
        match kind {
            BackendKind::Cpu => Some(Box::new(CpuBackend::new(self.threads))),
            BackendKind::Gpu => self.gpu.as_ref().map(|make| make()),
        }
    }

    /// Everything runs on `kind` from now on, for `reason` (a person's switch): no more
    /// trials.
    pub fn choose(&mut self, kind: BackendKind, reason: String) {
        self.by_measurement = false;
        self.choose_measured(kind, reason);
    }

    fn choose_measured(&mut self, kind: BackendKind, reason: String) {
        self.preferred = (kind, reason.clone());
        self.kind = kind;
        self.reason = reason;
    }

    /// Whether runs choose their backend by measurement: `auto` found a GPU and nobody
    /// switched since.
    pub fn chooses_by_measurement(&self) -> bool {
        self.by_measurement && self.gpu.is_some()
    }

    /// Settles new runs on the backend an earlier trial of this run's shape (as many models of the same widths,
    /// `config`'s batch and layers) found faster; false when none timed it yet.
    pub fn settle_as_timed(&mut self, models: &[ModelSpec], config: &TrainConfig) -> bool {
        let Some(known) = self.trials.iter().find(|t| t.timed(models, config)).cloned() else { return false };
        self.settle(known);
        true
    }

    /// New runs train on the backend `trial` found faster.
    pub fn settle(&mut self, trial: Trial) {
        let kind = if trial.gpu_wins() { BackendKind::Gpu } else { BackendKind::Cpu };
        self.choose_measured(kind, trial.reason());
        if !self.trials.contains(&trial) {
            self.trials.push(trial.clone());
        }
        self.trial = Some(trial);
    }

    /// This run alone goes to the CPU, for `reason`; the next one tries the preferred again.
    pub fn fall_back(&mut self, reason: String) {
        self.kind = BackendKind::Cpu;
        self.reason = reason;
    }

    /// A new run: back to the preferred backend.
    pub fn restore_preferred(&mut self) {
        (self.kind, self.reason) = self.preferred.clone();
    }

    /// The GPU failed for good: everything runs on the CPU from now on.
    pub fn lose_gpu(&mut self, reason: String) {
        self.gpu = None;
        self.choose(BackendKind::Cpu, reason);
    }

    /// The `Backend` event for the backend `name` that trains now.
    pub fn event(&self, name: String) -> Event {
        Event::Backend {
            kind: self.kind,
            name,
            gpu_available: self.gpu.is_some(),
            reason: self.reason.clone(),
            trial: self.trial.clone(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn open_gpu() -> Result<GpuBackend, BackendError> {
    GpuBackend::new().await
}

/// In the browser, say plainly when there is no WebGPU at all (a missing `navigator.gpu`)
/// rather than asking for an adapter that cannot exist, and why: a page served over plain
/// http from anywhere but localhost is not a secure context, and browsers that have WebGPU
/// hide it there (as they do the offline copy's service worker).
#[cfg(target_arch = "wasm32")]
async fn open_gpu() -> Result<GpuBackend, BackendError> {
    let global = js_sys::global();
    let navigator = js_sys::Reflect::get(&global, &"navigator".into()).unwrap_or_default();
    let has_gpu = js_sys::Reflect::get(&navigator, &"gpu".into()).is_ok_and(|gpu| !gpu.is_undefined());
    if !has_gpu {
        // The worker's `isSecureContext` and `origin` are its page's.
        let insecure = js_sys::Reflect::get(&global, &"isSecureContext".into())
            .is_ok_and(|secure| secure.as_bool() == Some(false));
        if insecure {
            let origin =
                js_sys::Reflect::get(&global, &"origin".into()).ok().and_then(|o| o.as_string()).unwrap_or_default();
            return Err(BackendError::NoAdapter(insecure_context_note(&origin)));
        }
        return Err(BackendError::NoAdapter("this browser has no WebGPU".into()));
    }
    GpuBackend::new().await.map_err(|e| match e {
        BackendError::NoAdapter(_) => BackendError::NoAdapter("WebGPU found no adapter".into()),
        other => other,
    })
}

/// Why a page at `origin` (`http://192.168.1.5:8080`) that is not a secure context has no
/// WebGPU, whatever the browser.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn insecure_context_note(origin: &str) -> String {
    let page = match origin {
        "" | "null" => "this page is not".to_string(),
        origin => format!("this page is {origin}"),
    };
    format!("WebGPU and the offline copy need https:// or localhost; {page}")
}

#[cfg(test)]
mod tests {
    use super::insecure_context_note;

    #[test]
    fn an_insecure_page_is_told_what_webgpu_needs() {
        assert_eq!(
            insecure_context_note("http://192.168.1.5:8080"),
            "WebGPU and the offline copy need https:// or localhost; this page is http://192.168.1.5:8080"
        );
        assert_eq!(
            insecure_context_note("null"),
            "WebGPU and the offline copy need https:// or localhost; this page is not"
        );
    }
}
