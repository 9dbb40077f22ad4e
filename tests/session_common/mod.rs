//! What the session tests share: a seeded noise data set, the run they train, a clock, and a
//! CPU backend that fails (or reads slowly) as a lost or slow GPU does.
#![allow(dead_code)] // each test file uses some of these

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use weight_init_lab::backend::cpu::CpuBackend;
use weight_init_lab::backend::{
    Activation, AdamStep, Backend, BackendError, Bins, Buf, DataId, Dropout, Gemm, ReadFuture, Region, SgdStep, Shape,
    TrainOps, ViewOps,
};
use weight_init_lab::data::Dataset;
use weight_init_lab::init::Initializer;
use weight_init_lab::session::{Command, Devices, Event, Session};
use weight_init_lab::train::{History, TrainConfig};

/// `count` 28×28 images of seeded noise with labels 0–9.
pub fn noise(count: usize) -> Arc<Dataset> {
    let h = |i: usize| weight_init_lab::backend::dropout::hash(i as u32 ^ 0x5bd1_e995);
    Arc::new(Dataset {
        pixels: (0..count * 784).map(|i| h(i) as u8).collect(),
        labels: (0..count).map(|i| (h(i + 9_000_000) % 10) as u8).collect(),
        rows: 28,
        cols: 28,
    })
}

/// 1,237 images: 247 held out, 990 trained, so an epoch is 9 batches of 100 and one of 90.
pub const IMAGES: usize = 1237;
pub const TRAIN_IMAGES: usize = 990;

pub fn config() -> TrainConfig {
    TrainConfig { epochs: 2, eval_every: 4, ..TrainConfig::default() }
}

pub fn inits() -> Vec<Initializer> {
    vec![Initializer::GeneralRuleUniform, Initializer::Zeros, Initializer::Ones]
}

/// A clock that advances 1 ms per reading.
pub fn ticking_clock() -> Box<dyn Fn() -> f64> {
    let t = Cell::new(0.0);
    Box::new(move || {
        t.set(t.get() + 1.0);
        t.get()
    })
}

/// Runs a session to the end; returns its events and the trainer's history.
pub fn run_to_end(devices: Devices, watch: bool) -> (Vec<Event>, History) {
    run_with(devices, watch, usize::MAX)
}

/// `record_floats`: how many per-batch values the history keeps (see `Session::record_steps`).
pub fn run_with(devices: Devices, watch: bool, record_floats: usize) -> (Vec<Event>, History) {
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
pub struct FailingBackend {
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
    fn act_backward(&mut self, grad: Buf, out: Buf, s: Shape, act: Activation, dropout: Option<Dropout>) {
        self.inner.act_backward(grad, out, s, act, dropout)
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
    fn sgd(&mut self, param: Buf, grad: Buf, velocity: Buf, len: usize, step: &SgdStep) {
        self.inner.sgd(param, grad, velocity, len, step)
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

pub fn failing_gpu(reads: usize) -> Devices {
    test_gpu(reads, Rc::default(), 0.0)
}

pub fn test_gpu(reads: usize, clock: Rc<Cell<f64>>, read_ms: f64) -> Devices {
    let reads_left = Rc::new(Cell::new(reads));
    let make = move || -> Box<dyn Backend> {
        let (reads_left, clock) = (Rc::clone(&reads_left), Rc::clone(&clock));
        Box::new(FailingBackend { inner: CpuBackend::new(1), reads_left, clock, read_ms })
    };
    Devices::with_gpu(1, make, "a test GPU".into())
}

pub fn cpu() -> Devices {
    Devices::cpu_only(1, "no GPU in this test".into())
}
