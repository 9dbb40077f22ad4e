//! The run session as the page and the CLI drive it: events in order, speed counted from the
//! images actually trained, diagnostics pushed when due, Train before the run is built, bad
//! commands, the exports. (Backend failures and choice: session_backends.rs.)

mod session_common;

use session_common::*;
use weight_init_lab::init::Initializer;
use weight_init_lab::session::{BackendKind, Command, Event, ExportFormat, Session};
use weight_init_lab::train::{History, ModelSpec, TrainConfig};

#[test]
fn events_cover_every_step_once_and_count_the_images_trained() {
    let (events, history) = run_to_end(cpu(), false);
    // Train asked for before the run was built starts it once built: `running` follows `run`.
    let kinds: Vec<_> = events.iter().take(4).map(|e| serde_json::to_value(e).unwrap()["type"].clone()).collect();
    assert_eq!(kinds, ["data", "run", "backend", "running"]);
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
    let last = events.iter().rfind(|e| !matches!(e, Event::Signal { .. }));
    assert!(matches!(last, Some(Event::Running { running: false })), "{last:?}");
    assert!(!events.iter().any(|e| matches!(e, Event::Diagnostics { .. })), "nobody asked for diagnostics");
    // The signal through the layers, unasked: at step 0 and after each full validation.
    let signals: Vec<usize> =
        events.iter().filter_map(|e| if let Event::Signal { step, .. } = e { Some(*step) } else { None }).collect();
    assert_eq!(signals, [0, 4, 8, 10, 12, 16, 20]);
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
    let table = |h: &History| h.results(&inits().into_iter().map(ModelSpec::from).collect::<Vec<_>>());
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

#[test]
fn train_sent_with_configure_before_the_data_starts_the_run_once_it_is_built() {
    let mut session = Session::new(cpu(), ticking_clock(), 5.0);
    // The page's autorun: configure and train together, before the data is in.
    session.configure(inits(), config());
    session.train();
    assert!(!pollster::block_on(session.tick()).unwrap(), "nothing to train without data");
    session.use_data(noise(IMAGES), "noise".into(), false, None);
    assert!(pollster::block_on(session.tick()).unwrap(), "training once the run is built");
    let kinds: Vec<_> =
        session.take_events().iter().map(|e| serde_json::to_value(e).unwrap()["type"].clone()).collect();
    assert_eq!(kinds[..4], ["data", "run", "backend", "running"], "{kinds:?}");
    assert!(session.trainer().unwrap().steps_done() > 0);

    // New settings without Train cancel a Train still waiting: the new run waits for a person.
    let mut session = Session::new(cpu(), ticking_clock(), 5.0);
    session.configure(inits(), config());
    session.train();
    session.configure(inits(), TrainConfig { epochs: 1, ..config() });
    session.use_data(noise(IMAGES), "noise".into(), false, None);
    assert!(!pollster::block_on(session.tick()).unwrap(), "built, not training");
    assert!(session.trainer().is_some_and(|t| t.steps_done() == 0));
}
