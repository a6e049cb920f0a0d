//! Sequences, the model stage: decoding `[sequences.<name>]` (rendering is in `render`, dumping in `dump`).

use crate::load::{Decoder, Key, ObjectPath, Val};
use crate::types::*;

pub(crate) const SEQUENCE_KEYS: &[&str] = &[
    "type",
    "start",
    "increment",
    "min_value",
    "max_value",
    "cache",
    "cycle",
    "owned_by",
    "comment",
    "renamed_from",
    "grants",
    "owner",
];

impl Decoder {
    pub(crate) fn sequence(&mut self, k: &Key, v: &Val) -> Option<Sequence> {
        let name = self.declare("sequences", "sequence", k)?;
        let what = format!("sequence `{name}`");
        let path = ObjectPath::Sequence(name.clone());
        let obj = self.element(
            path,
            k.span(),
            v,
            what,
            "write `[sequences.name]` with its options, or `name = {}`",
            SEQUENCE_KEYS,
        )?;
        let owned_by = match self.string(&obj, "owned_by") {
            Some(s) => self.column_ref(s.get_ref(), s.span()),
            None => None,
        };
        self.grants(&obj, crate::grant::GrantTarget::Sequence(name.clone()));
        self.owner(&obj, crate::grant::GrantTarget::Sequence(name.clone()));
        Some(Sequence {
            name,
            data_type: self.choice(&obj, "type", &["smallint", "integer", "bigint"]),
            start: self.integer(&obj, "start"),
            increment: self.integer(&obj, "increment"),
            min_value: self.integer(&obj, "min_value"),
            max_value: self.integer(&obj, "max_value"),
            cache: self.integer(&obj, "cache"),
            cycle: self.boolean(&obj, "cycle"),
            owned_by,
            comment: self.opt_string(&obj, "comment"),
            renamed_from: self.qualified(&obj, "renamed_from"),
        })
    }
}
