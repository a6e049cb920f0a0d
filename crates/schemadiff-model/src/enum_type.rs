//! Enum types, the model stage: decoding `[enums.<name>]` (rendering is in `render`, dumping in `dump`).

use toml::de::DeValue;

use crate::load::{Decoder, Key, Obj, ObjectPath, Val, kind};
use crate::source::Diagnostic;
use crate::types::*;

pub(crate) const ENUM_KEYS: &[&str] = &["values", "comment", "renamed_from", "grants", "owner"];
pub(crate) const ENUM_VALUE_KEYS: &[&str] = &["name", "renamed_from"];

impl Decoder {
    pub(crate) fn enum_type(&mut self, k: &Key, v: &Val) -> Option<EnumType> {
        let name = self.declare("enums", "enum", k)?;
        let what = format!("enum `{name}`");
        let path = ObjectPath::Enum(name.clone());
        let obj = self.element(
            path,
            k.span(),
            v,
            what.clone(),
            "write `[enums.name]` with `values = [\"a\", \"b\"]`",
            ENUM_KEYS,
        )?;
        let mut values = Vec::new();
        match obj.get("values") {
            None => self.error(
                Diagnostic::new(k.span(), format!("{what} has no `values`"))
                    .label("`values` is missing")
                    .help(
                        "add `values = [\"first\", \"second\"]`, in the order the type sorts them",
                    ),
            ),
            Some(list) => {
                match list.get_ref() {
                    DeValue::Array(items) => {
                        self.record(&obj, "values", list.span());
                        for (i, item) in items.iter().enumerate() {
                            self.record(&obj, &format!("values.{i}"), item.span());
                            match item.get_ref() {
                                DeValue::String(s) => values.push(EnumValue {
                                    name: s.to_string(),
                                    renamed_from: None,
                                }),
                                DeValue::Table(t) => {
                                    let vobj = Obj {
                                        table: t,
                                        what: format!("a value of {what}"),
                                        path: obj
                                            .path
                                            .as_ref()
                                            .map(|(p, _)| (p.clone(), format!("values.{i}"))),
                                    };
                                    self.check_keys(&vobj, ENUM_VALUE_KEYS);
                                    match self.opt_string(&vobj, "name") {
                                    Some(n) => values.push(EnumValue {
                                        name: n,
                                        renamed_from: self.opt_string(&vobj, "renamed_from"),
                                    }),
                                    None => self.error(
                                        Diagnostic::new(item.span(), format!("a value of {what} has no `name`"))
                                            .help("write `{ name = \"new\", renamed_from = \"old\" }`"),
                                    ),
                                }
                                }
                                other => self.error(Diagnostic::new(
                                    item.span(),
                                    format!(
                                        "the values of {what} must be strings, found {}",
                                        kind(other)
                                    ),
                                )),
                            }
                        }
                    }
                    other => self.error(Diagnostic::new(
                        list.span(),
                        format!(
                            "`values` in {what} must be a list of strings, found {}",
                            kind(other)
                        ),
                    )),
                }
            }
        }
        let renamed_from = self.qualified(&obj, "renamed_from");
        self.grants(&obj, crate::grant::GrantTarget::Type(name.clone()));
        self.owner(&obj, crate::grant::GrantTarget::Type(name.clone()));
        Some(EnumType {
            name,
            values,
            comment: self.opt_string(&obj, "comment"),
            renamed_from,
        })
    }
}
