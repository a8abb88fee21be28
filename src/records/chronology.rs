//! Impossible orders of a person's dates: born after death; arrested,
//! sentenced or rehabilitated before birth; sentenced before arrest; died
//! before arrest. Partial dates are compared only as far as both are known and
//! approximate ones never (see [`PartialDate::surely_before`]), so an archive's
//! honest uncertainty is never reported as a conflict.

use super::columns::Column;
use super::place::{RowOrigin, Sources};
use crate::diagnostics::Diagnostics;
use crate::model::PartialDate;

/// A date of a person or a case with the field it was read from.
pub(super) struct Dated {
    pub column: Column,
    pub date: PartialDate,
    pub origin: RowOrigin,
    /// Index of the field in its record.
    pub field: usize,
}

/// The dates of one person: birth and death, and each case's arrest, sentence
/// and rehabilitation.
pub(super) struct Dates {
    pub birth: Option<Dated>,
    pub death: Option<Dated>,
    pub cases: Vec<CaseDates>,
}

pub(super) struct CaseDates {
    pub arrest: Option<Dated>,
    pub sentence: Option<Dated>,
    pub rehabilitation: Option<Dated>,
}

/// Reports each pair (earlier, later) of `dates` whose later date is certainly
/// before the earlier one, at the later field.
pub(super) fn check(id: &str, dates: &Dates, sources: &Sources, diags: &mut Diagnostics) {
    let mut pairs: Vec<(&Option<Dated>, &Option<Dated>)> = vec![(&dates.birth, &dates.death)];
    for case in &dates.cases {
        pairs.extend([
            (&dates.birth, &case.arrest),
            (&dates.birth, &case.sentence),
            (&dates.birth, &case.rehabilitation),
            (&case.arrest, &case.sentence),
            (&case.arrest, &dates.death),
        ]);
    }
    for (earlier, later) in pairs {
        let (Some(earlier), Some(later)) = (earlier, later) else { continue };
        if later.date.surely_before(&earlier.date) {
            report(id, earlier, later, sources, diags);
        }
    }
}

fn report(id: &str, earlier: &Dated, later: &Dated, sources: &Sources, diags: &mut Diagnostics) {
    diags.push(sources.at(
        &later.origin,
        Some(later.field),
        format!(
            "{} {} of person {id} is before their {} {} (at {}): one of the two dates is wrong (write ~ before a date that is uncertain)",
            later.column.name(),
            later.date,
            earlier.column.name(),
            earlier.date,
            sources.describe(&earlier.origin),
        ),
    ));
}
