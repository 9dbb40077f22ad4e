//! `bench --views`: what the views cost. The lesson preset (its six initializers, 2 epochs)
//! run to its table through a session, as `compare` and the page run it, with the views off,
//! with only the live accuracy, and with every view (live accuracy, layer health every 10
//! steps, diagnostics at each validation pass), alternated so that a noisy machine slows each
//! alike; medians of `repeats` and their ratios to "off", printed, never asserted.

use std::sync::Arc;
use std::time::Instant;

use weight_init_lab::data::Dataset;
use weight_init_lab::init::Initializer;
use weight_init_lab::session::{BackendChoice, Devices, Session};
use weight_init_lab::train::TrainConfig;

use super::CliError;

/// What a run shows: `(name, live validation images, health and diagnostics watched)`.
const VIEWS: [(&str, usize, bool); 3] =
    [("views off", 0, false), ("live accuracy only", 2000, false), ("every view", 2000, true)];

/// Seconds from Train to the finished table of the lesson preset on `data`.
fn time_to_table(
    data: &Arc<Dataset>,
    choice: BackendChoice,
    threads: usize,
    live: usize,
    watch: bool,
) -> Result<f64, CliError> {
    let devices = pollster::block_on(Devices::open(choice, threads))?;
    let origin = Instant::now();
    let mut session = Session::new(devices, Box::new(move || origin.elapsed().as_secs_f64() * 1000.0), 100.0);
    session.use_data(Arc::clone(data), "bench".into(), false, None);
    session.configure(Initializer::lesson(), TrainConfig { live_validation: live, ..TrainConfig::default() });
    session.watch(watch, watch);
    session.train();
    let started = Instant::now();
    while pollster::block_on(session.tick())? {
        session.take_events();
    }
    Ok(started.elapsed().as_secs_f64())
}

pub fn run(data: &Arc<Dataset>, choice: BackendChoice, threads: usize, repeats: usize) -> Result<(), CliError> {
    let mut seconds = vec![Vec::new(); VIEWS.len()];
    for _ in 0..repeats.max(1) {
        for (times, &(_, live, watch)) in seconds.iter_mut().zip(&VIEWS) {
            times.push(time_to_table(data, choice, threads, live, watch)?);
        }
    }
    let median = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let medians: Vec<f64> = seconds.iter_mut().map(median).collect();
    let (models, epochs) = (Initializer::lesson().len(), TrainConfig::default().epochs);
    println!(
        "lesson preset to its table ({models} models, {epochs} epochs) on the {choice:?} backend, median of {repeats}:"
    );
    for (&(name, _, _), &s) in VIEWS.iter().zip(&medians) {
        println!("  {name:<20} {s:>7.2} s   ×{:.3} of views off", s / medians[0]);
    }
    Ok(())
}
