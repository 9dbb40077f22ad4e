//! The session's backends: one that fails mid-run is recovered from on the CPU with the same
//! curves as an uninterrupted run, and `auto` times both and trains on the faster.

mod session_common;

use std::cell::Cell;
use std::rc::Rc;

use session_common::*;
use weight_init_lab::session::{BackendKind, Command, Event, Session, Trial};
use weight_init_lab::train::{History, TrainConfig};

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
