//! A session's data: parsing a data set from the page's files, and the sample strip.

use std::sync::Arc;

use super::{ErrorKind, Event, FilePair, Samples, Session, SessionError};
use crate::data::Dataset;

/// Sample images of each class in a `Data` event.
const SAMPLES_PER_CLASS: usize = 1;

impl Session {
    /// Parses a data set from IDX files and trains on it from now on.
    ///
    /// # Errors
    /// The parser's [`DataError`] naming the file; the data in use stays.
    pub fn data_files(
        &mut self,
        name: String,
        fashion: bool,
        train: FilePair,
        samples: Option<FilePair>,
    ) -> Result<(), SessionError> {
        let parse = |p: &FilePair| Dataset::from_idx(&p.images.name, &p.images.bytes, &p.labels.name, &p.labels.bytes);
        let set = Arc::new(parse(&train)?);
        let (shown, problem) = match samples.as_ref().map(parse) {
            Some(Ok(test)) => (Some(test), None),
            Some(Err(e)) => (None, Some(e)),
            None => (None, None),
        };
        let samples = samples_of(shown.as_ref().unwrap_or(&set), SAMPLES_PER_CLASS);
        self.use_data(set, name, fashion, Some(samples));
        // After the `Data` event, which clears the data errors shown before it.
        if let Some(e) = problem {
            self.report_error(ErrorKind::Data, format!("{e} (the samples shown are from the training set)"));
        }
        Ok(())
    }

    /// Trains on `set` from now on (a new run at step 0).
    pub fn use_data(&mut self, set: Arc<Dataset>, name: String, fashion: bool, samples: Option<Samples>) {
        self.events.push(Event::Data { name, fashion, count: set.len(), rows: set.rows, cols: set.cols, samples });
        self.data = Some(set);
        self.new_run();
    }
}

/// `per_class` images of each class (the first ones of the set), ordered by class.
fn samples_of(set: &Dataset, per_class: usize) -> Samples {
    let mut picks = set.first_of_each_class(0..set.len(), per_class);
    picks.sort_by_key(|&i| (set.labels[i], i));
    samples_at(set, picks)
}

/// The images `picks` of `set`, with their labels.
pub(super) fn samples_at(set: &Dataset, picks: impl IntoIterator<Item = usize>) -> Samples {
    let picks: Vec<usize> = picks.into_iter().collect();
    Samples {
        rows: set.rows,
        cols: set.cols,
        images: picks.iter().map(|&i| serde_bytes::ByteBuf::from(set.image(i).to_vec())).collect(),
        labels: picks.iter().map(|&i| set.labels[i]).collect(),
    }
}
