//! The run session as the page and the CLI drive it: events in order, speed counted from the
//! images actually trained, diagnostics pushed when due, and a backend that fails mid-run
//! recovered from on the CPU with the same curves as an uninterrupted run.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::{
    Activation, AdamStep, Backend, BackendError, Bins, Buf, DataId, Dropout, Gemm, ReadFuture, Region, Shape, TrainOps,
    ViewOps,
};
use weight_init_lab::data::Dataset;
use weight_init_lab::init::Initializer;
use weight_init_lab::session::{BackendKind, Command, Devices, Event, ExportFormat, Session, Trial};
use weight_init_lab::train::{History, TrainConfig};

/// `count` 28×28 images of seeded noise with labels 0–9.
fn noise(count: usize) -> Arc<Dataset> {
    let h = |i: usize| weight_init_lab::backend::dropout::hash(i as u32 ^ 0x5bd1_e995);
    Arc::new(Dataset {
        pixels: (0..count * 784).map(|i| h(i) as u8).collect(),
        labels: (0..count).map(|i| (h(i + 9_000_000) % 10) as u8).collect(),
        rows: 28,
        cols: 28,
    })
}

/// 1,237 images: 247 held out, 990 trained, so an epoch is 9 batches of 100 and one of 90.
const IMAGES: usize = 1237;
const TRAIN_IMAGES: usize = 990;

fn config() -> TrainConfig {
    TrainConfig { epochs: 2, eval_every: 4, ..TrainConfig::default() }
}

fn inits() -> Vec<Initializer> {
    vec![Initializer::GeneralRuleUniform, Initializer::Zeros, Initializer::Ones]
}

/// A clock that advances 1 ms per reading.
fn ticking_clock() -> Box<dyn Fn() -> f64> {
    let t = Cell::new(0.0);
    Box::new(move || {
        t.set(t.get() + 1.0);
        t.get()
    })
}

/// Runs a session to the end; returns its events and the trainer's history.
fn run_to_end(devices: Devices, watch: bool) -> (Vec<Event>, History) {
    run_with(devices, watch, usize::MAX)
}

/// `record_floats`: how many per-batch values the history keeps (see `Session::record_steps`).
fn run_with(devices: Devices, watch: bool, record_floats: usize) -> (Vec<Event>, History) {
    let mut session = Session::new(devices, ticking_clock(), 5.0);
    session.record_steps(record_floats);
    pollster::block_on(session.command(Command::Watch { diagnostics: watch, health: false }));
    session.use_data(noise(IMAGES), "noise".into(), false, None);
    session.configure(inits(), config());
    session.train();
    let mut events = session.take_events();
    let mut ticks = 0;
    while pollster::block_on(session.tick()).expect("the run goes on") {
        events.extend(session.take_events());
        ticks += 1;
        assert!(ticks < 1000, "the run never ended");
    }
    events.extend(session.take_events());
    (events, session.trainer().expect("a trainer").history().clone())
}

/// The CPU backend, whose reads start failing (as a lost GPU's do) after `reads` reads, and
/// each of which moves `clock` on by `read_ms` (a slow adapter, on the session's clock).
struct FailingBackend {
    inner: CpuBackend,
    reads_left: Rc<Cell<usize>>,
    clock: Rc<Cell<f64>>,
    read_ms: f64,
}

impl TrainOps for FailingBackend {
    fn name(&self) -> String {
        "failing test GPU".into()
    }
    fn read(&mut self, buf: Buf) -> ReadFuture {
        self.clock.set(self.clock.get() + self.read_ms);
        let left = self.reads_left.get();
        if left == 0 {
            return Box::pin(std::future::ready(Err(BackendError::DeviceLost("the test pulled the plug".into()))));
        }
        self.reads_left.set(left - 1);
        self.inner.read(buf)
    }
    fn alloc(&mut self, len: usize) -> Buf {
        self.inner.alloc(len)
    }
    fn write(&mut self, buf: Buf, data: &[f32]) {
        self.inner.write(buf, data)
    }
    fn fill(&mut self, buf: Buf, value: f32) {
        self.inner.fill(buf, value)
    }
    fn copy(&mut self, src: Buf, dst: Buf, dst_offset: usize, len: usize) {
        self.inner.copy(src, dst, dst_offset, len)
    }
    fn upload_data(&mut self, pixels: &[u8], labels: &[u8], pixels_per_image: usize) -> DataId {
        self.inner.upload_data(pixels, labels, pixels_per_image)
    }
    fn gather(&mut self, data: DataId, indices: &[u32], x: Buf, labels: Buf) {
        self.inner.gather(data, indices, x, labels)
    }
    fn gemm(&mut self, g: &Gemm, a: Buf, b: Buf, c: Buf) {
        self.inner.gemm(g, a, b, c)
    }
    fn bias_act(&mut self, z: Buf, bias: Buf, s: Shape, act: Activation, dropout: Option<Dropout>) {
        self.inner.bias_act(z, bias, s, act, dropout)
    }
    fn relu_backward(&mut self, grad: Buf, out: Buf, s: Shape, scale: f32) {
        self.inner.relu_backward(grad, out, s, scale)
    }
    fn col_sum(&mut self, x: Buf, s: Shape, out: Buf) {
        self.inner.col_sum(x, s, out)
    }
    fn softmax_xent(&mut self, logits: Buf, labels: Buf, s: Shape, grad: Option<Buf>, stats: Buf, slot: usize) {
        self.inner.softmax_xent(logits, labels, s, grad, stats, slot)
    }
    fn adam(&mut self, param: Buf, grad: Buf, m: Buf, v: Buf, len: usize, step: &AdamStep) {
        self.inner.adam(param, grad, m, v, len, step)
    }
    fn sgd(&mut self, param: Buf, grad: Buf, len: usize, lr: f32) {
        self.inner.sgd(param, grad, len, lr)
    }
}

impl ViewOps for FailingBackend {
    fn moments(&mut self, x: Buf, minus: Option<Buf>, s: Shape, out: Buf, at: Region) {
        self.inner.moments(x, minus, s, out, at)
    }
    fn histogram(&mut self, x: Buf, s: Shape, bins: Bins, out: Buf, at: Region) {
        self.inner.histogram(x, s, bins, out, at)
    }
    fn dead_units(&mut self, x: Buf, s: Shape, out: Buf, at: Region) {
        self.inner.dead_units(x, s, out, at)
    }
    fn fingerprints(&mut self, x: Buf, bias: Buf, s: Shape, out: Buf) {
        self.inner.fingerprints(x, bias, s, out)
    }
    fn confusion(&mut self, logits: Buf, labels: Buf, s: Shape, out: Buf) {
        self.inner.confusion(logits, labels, s, out)
    }
    fn columns(&mut self, x: Buf, s: Shape, cols: usize, out: Buf) {
        self.inner.columns(x, s, cols, out)
    }
}

fn failing_gpu(reads: usize) -> Devices {
    test_gpu(reads, Rc::default(), 0.0)
}

fn test_gpu(reads: usize, clock: Rc<Cell<f64>>, read_ms: f64) -> Devices {
    let reads_left = Rc::new(Cell::new(reads));
    let make = move || -> Box<dyn Backend> {
        let (reads_left, clock) = (Rc::clone(&reads_left), Rc::clone(&clock));
        Box::new(FailingBackend { inner: CpuBackend::new(1), reads_left, clock, read_ms })
    };
    Devices::with_gpu(1, make, "a test GPU".into())
}

fn cpu() -> Devices {
    Devices::cpu_only(1, "no GPU in this test".into())
}

#[test]
fn events_cover_every_step_once_and_count_the_images_trained() {
    let (events, history) = run_to_end(cpu(), false);
    assert!(matches!(events[..2], [Event::Data { .. }, Event::Running { running: true }]), "{:?}", &events[..2]);
    let Some(Event::Run { total_steps, steps_per_epoch, .. }) = events.iter().find(|e| matches!(e, Event::Run { .. }))
    else {
        panic!("no run event")
    };
    assert_eq!((*total_steps, *steps_per_epoch), (20, 10));
    let mut next = 0;
    for event in &events {
        if let Event::Progress { from_step, step, losses, .. } = event {
            assert_eq!(*from_step, next, "progress resumes where the last one ended");
            assert!(losses.iter().all(|l| l.len() == step - from_step));
            next = *step;
        }
    }
    assert_eq!(next, 20);
    // Validations every 4 steps and at each epoch's end: 4, 8, 10, 12, 16, 20.
    let evals: Vec<usize> =
        events.iter().filter_map(|e| if let Event::Eval { point } = e { Some(point.step) } else { None }).collect();
    assert_eq!(evals, [4, 8, 10, 12, 16, 20]);
    assert_eq!(history.evals.len(), 6);
    let finished = events.iter().find_map(|e| match e {
        Event::Finished { steps, images, .. } => Some((*steps, *images)),
        _ => None,
    });
    assert_eq!(finished, Some((20, 2 * TRAIN_IMAGES)), "the last batch of each epoch counts its 90 images");
    assert!(matches!(events.last(), Some(Event::Running { running: false })));
    assert!(!events.iter().any(|e| matches!(e, Event::Diagnostics { .. })), "nobody asked for diagnostics");
}

#[test]
fn diagnostics_are_pushed_at_step_zero_and_after_each_validation() {
    let (events, _) = run_to_end(cpu(), true);
    let steps: Vec<usize> = events
        .iter()
        .filter_map(|e| if let Event::Diagnostics { step, .. } = e { Some(*step) } else { None })
        .collect();
    assert_eq!(steps.first(), Some(&0), "the initial weights are the story: {steps:?}");
    for eval in [4, 8, 10, 12, 16, 20] {
        assert!(steps.contains(&eval), "no diagnostics after the validation at step {eval}: {steps:?}");
    }
    let Some(Event::Diagnostics { diagnostics, .. }) = events.iter().find(|e| matches!(e, Event::Diagnostics { .. }))
    else {
        unreachable!()
    };
    let layers = &diagnostics.layers;
    assert_eq!(layers.len(), 3, "one entry per model");
    assert_eq!(layers[1][0].distinct_units, 1, "all-zeros starts with one distinct neuron");
}

#[test]
fn a_backend_failing_mid_run_is_recovered_on_the_cpu_with_the_same_curves() {
    let (reference, uninterrupted) = run_to_end(cpu(), false);
    // Each chunk reads the metrics once, each validation its results and the whole state
    // (18 buffers): the failure lands between the validations at steps 4 and 8.
    let (events, recovered) = run_to_end(failing_gpu(30), false);
    let from = events.iter().find_map(|e| match e {
        Event::Recovered { from_step, reason } => {
            assert!(reason.contains("the test pulled the plug"), "{reason}");
            Some(*from_step)
        }
        _ => None,
    });
    let from = from.expect("a recovered event");
    assert!(from > 0 && from % 4 == 0 || from == 10, "resumes from a validation step, not {from}");
    let backends: Vec<BackendKind> =
        events.iter().filter_map(|e| if let Event::Backend { kind, .. } = e { Some(*kind) } else { None }).collect();
    assert_eq!(backends, [BackendKind::Gpu, BackendKind::Cpu]);
    // Batches and dropout masks depend on the step alone, so the replay matches bit for bit.
    let bits = |h: &History| h.steps.losses.iter().flatten().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&recovered), bits(&uninterrupted));
    assert_eq!(recovered.evals, uninterrupted.evals);
    // The events after the failure resume from the checkpoint and cover the rest once.
    let after: Vec<(usize, usize)> = events
        .iter()
        .skip_while(|e| !matches!(e, Event::Recovered { .. }))
        .filter_map(|e| if let Event::Progress { from_step, step, .. } = e { Some((*from_step, *step)) } else { None })
        .collect();
    assert_eq!(after.first().map(|p| p.0), Some(from));
    assert_eq!(after.last().map(|p| p.1), Some(20));
    let finished = |events: &[Event]| events.iter().any(|e| matches!(e, Event::Finished { .. }));
    assert!(finished(&events) && finished(&reference));
}

#[test]
fn bad_commands_become_error_events_and_the_run_goes_on() {
    let mut session = Session::new(cpu(), ticking_clock(), 5.0);
    session.use_data(noise(IMAGES), "noise".into(), false, None);
    session.configure(inits(), config());
    pollster::block_on(session.tick()).unwrap();
    session.take_events();
    pollster::block_on(session.command(Command::Configure { inits: vec!["glorot".into()], config: config() }));
    pollster::block_on(session.command(Command::Backend { kind: BackendKind::Gpu }));
    let events = session.take_events();
    let messages: Vec<&str> = events
        .iter()
        .filter_map(|e| if let Event::Error { message, .. } = e { Some(message.as_str()) } else { None })
        .collect();
    assert_eq!(messages.len(), 2, "{events:?}");
    assert!(messages[0].contains("unknown initializer `glorot`"), "{}", messages[0]);
    assert!(messages[1].contains("GPU"), "{}", messages[1]);
    session.step();
    assert!(!pollster::block_on(session.tick()).unwrap());
    assert_eq!(session.trainer().unwrap().steps_done(), 1, "the run in place still steps");
}

#[test]
fn a_bounded_record_of_the_batches_leaves_the_table_and_the_events_the_same() {
    let (recorded_events, recorded) = run_with(cpu(), false, usize::MAX);
    let (events, bounded) = run_with(cpu(), false, 0);
    assert!(bounded.steps.losses.iter().all(Vec::is_empty), "the per-batch record stays empty");
    let (_, capped) = run_with(cpu(), false, 3 * 7);
    assert!(capped.steps.losses.iter().all(|l| l.len() == 7), "3 models × 7 steps are kept");
    assert_eq!(recorded.steps.losses[0].len(), 20);
    let table = |h: &History| h.results(&inits());
    assert_eq!(table(&bounded), table(&recorded), "the table needs no per-batch record");
    let losses = |events: &[Event]| -> Vec<Vec<f32>> {
        let mut all = vec![Vec::new(); 3];
        for e in events {
            if let Event::Progress { losses, .. } = e {
                all.iter_mut().zip(losses).for_each(|(a, l)| a.extend(l));
            }
        }
        all
    };
    assert_eq!(losses(&events), losses(&recorded_events));
    assert_eq!(losses(&events), recorded.steps.losses, "the events carry every batch");
}

/// A model that diverges reads "diverged" in every export: its accuracy is not ~10 % (NaN
/// logits all "predict" class 0) but NaN, `null` in JSON, `diverged` in CSV.
#[test]
fn the_exports_say_diverged_for_a_diverged_model() {
    let mut session = Session::new(cpu(), ticking_clock(), 5.0);
    session.use_data(noise(IMAGES), "noise".into(), false, None);
    // Weights of 1e20: the second layer's sums overflow f32 at once.
    session.configure(vec![Initializer::GeneralRuleUniform, Initializer::Constant(1e20)], config());
    session.train();
    while pollster::block_on(session.tick()).unwrap() {}
    session.take_events();
    let mut export = |format| {
        pollster::block_on(session.command(Command::Export { format }));
        match session.take_events().as_slice() {
            [Event::Export { format: got, content }] if *got == format => content.clone(),
            other => panic!("expected one export event, got {other:?}"),
        }
    };
    let (json, csv) = (export(ExportFormat::Json), export(ExportFormat::Csv));
    let results = &session.trainer().unwrap().results();
    assert!(!results[0].diverged && results[1].diverged);
    assert!(results[1].val_accuracy.is_nan(), "not a result: {}", results[1].val_accuracy);

    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["results"][1]["diverged"], true);
    assert!(doc["results"][1]["val_accuracy"].is_null());
    assert!(doc["results"][0]["val_accuracy"].as_f64().unwrap() > 0.0);
    assert_eq!(doc["history"]["losses"][0].as_array().unwrap().len(), 20);
    assert_eq!((doc["steps"].as_u64(), doc["recorded_steps"].as_u64()), (Some(20), Some(20)));

    let id = Initializer::Constant(1e20).id();
    assert!(csv.lines().any(|l| l == format!("final_val_accuracy,20,{id},diverged")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("final_val_accuracy,20,general-rule,0.")), "{csv}");
    assert!(!csv.contains("NaN") && !csv.contains("inf"), "one word for divergence");
}

/// The session's backend events after `configure(models)` with `config` and one tick.
fn backend_events(
    session: &mut Session,
    models: usize,
    config: TrainConfig,
) -> Vec<(BackendKind, String, Option<Trial>)> {
    session.configure(inits().into_iter().cycle().take(models).collect(), config);
    pollster::block_on(session.tick()).expect("the run is built");
    let events = session.take_events();
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::Backend { kind, reason, trial, .. } => Some((kind, reason, trial)),
            _ => None,
        })
        .collect()
}

#[test]
fn auto_times_both_backends_and_trains_on_the_faster_until_a_person_switches() {
    // The session's clock moves only when the test "GPU" reads (150 ms each): the CPU's steps
    // take no time on it, so the GPU is the slower, whatever this machine's load.
    let clock = Rc::new(Cell::new(0.0));
    let devices = test_gpu(usize::MAX, Rc::clone(&clock), 150.0).choosing_by_measurement();
    let now = Rc::clone(&clock);
    let mut session = Session::new(devices, Box::new(move || now.get()), 5.0);
    session.use_data(noise(IMAGES), "noise".into(), false, None);
    let [(kind, reason, Some(trial))] = &backend_events(&mut session, 2, config())[..] else {
        panic!("one measured choice")
    };
    assert_eq!(*kind, BackendKind::Cpu, "{reason}");
    assert_eq!((trial.models, trial.batch_size, trial.gpu.as_str()), (2, 100, "failing test GPU"));
    assert_eq!((trial.cpu_ms_per_step, trial.gpu_ms_per_step), (0.0, Some(150.0)), "one read per timed chunk");
    assert!(
        reason.starts_with("timed 2 models: failing test GPU") && reason.contains("training on the CPU"),
        "{reason}"
    );

    // A run of a shape timed before is not timed again; another count or batch size is.
    let retimed =
        |events: &[(BackendKind, String, Option<Trial>)]| events[0].2.as_ref().map(|t| (t.models, t.batch_size));
    assert_eq!(retimed(&backend_events(&mut session, 3, config())), Some((3, 100)));
    assert_eq!(retimed(&backend_events(&mut session, 3, TrainConfig { batch_size: 50, ..config() })), Some((3, 50)));
    let reads = clock.get();
    assert_eq!(backend_events(&mut session, 2, config())[0].2.as_ref(), Some(trial));
    assert_eq!(clock.get() - reads, 0.0, "the GPU did not train again for a timed shape");

    // A person's switch is final: no more trials, and the GPU stays.
    pollster::block_on(session.command(Command::Backend { kind: BackendKind::Gpu }));
    let after = backend_events(&mut session, 1, config());
    assert!(after.iter().all(|(kind, ..)| *kind == BackendKind::Gpu), "{after:?}");
    assert!(after.iter().all(|(.., trial)| trial.as_ref().map(|t| t.models) == Some(2)), "{after:?}");
}

#[test]
fn a_gpu_that_fails_its_trial_leaves_the_run_on_the_cpu_saying_why() {
    let mut session = Session::new(failing_gpu(0).choosing_by_measurement(), ticking_clock(), 5.0);
    session.use_data(noise(IMAGES), "noise".into(), false, None);
    let [(kind, reason, Some(trial))] = &backend_events(&mut session, 1, config())[..] else {
        panic!("one measured choice")
    };
    assert_eq!((*kind, trial.gpu_ms_per_step), (BackendKind::Cpu, None));
    assert!(reason.contains("could not train") && reason.contains("the test pulled the plug"), "{reason}");
}
