//! Macros (`%{tx.anomaly_score}`, `%{MATCHED_VAR}`): parsed once at compile
//! time into segments; expanded by the transaction at run time.

use crate::variable::Variable;

/// Index of a TX variable name interned at compile time.
pub(crate) type TxId = u16;

/// Interns TX variable names (lowercased). Ids 0-9 are the captures `TX:0`-`TX:9`.
#[derive(Debug, Default)]
pub(crate) struct TxNames {
    names: Vec<Box<str>>,
    map: rustc_hash::FxHashMap<Box<str>, TxId>,
}

impl TxNames {
    /// A table holding `0`..`9`.
    pub fn new() -> TxNames {
        let mut t = TxNames::default();
        for i in 0..10 {
            t.intern(&i.to_string());
        }
        t
    }

    /// The id of `name` (case-insensitive), adding it if new.
    pub fn intern(&mut self, name: &str) -> TxId {
        let lower: Box<str> = name.to_ascii_lowercase().into();
        if let Some(&id) = self.map.get(&lower) {
            return id;
        }
        let id = self.names.len() as TxId;
        self.names.push(lower.clone());
        self.map.insert(lower, id);
        id
    }

    /// The id of `name` if interned (`name` must be lowercase).
    pub fn get(&self, lower: &[u8]) -> Option<TxId> {
        std::str::from_utf8(lower).ok().and_then(|s| self.map.get(s).copied())
    }

    /// The lowercased name of `id`.
    pub fn name(&self, id: TxId) -> &str {
        self.names.get(id as usize).map(|s| &**s).unwrap_or("")
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }
}

/// The key part of a macro or target: which entry of a collection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    /// No key: the whole variable (its first value, in a macro).
    None,
    /// A TX name interned at compile time.
    Tx(TxId),
    /// A lowercased key compared case-insensitively (`REQUEST_HEADERS:host`).
    Name(Box<[u8]>),
}

/// One piece of a macro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Seg {
    /// Literal bytes.
    Lit(Box<[u8]>),
    /// `%{VAR}` or `%{VAR.key}`.
    Var(Variable, Key),
}

/// A string with `%{...}` references, parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Macro {
    pub segs: Box<[Seg]>,
}

impl Macro {
    /// Parse `text`. Unknown variables are an error naming them.
    pub fn parse(text: &str, tx: &mut TxNames) -> Result<Macro, String> {
        let b = text.as_bytes();
        let mut segs = Vec::new();
        let mut lit = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && b.get(i + 1) == Some(&b'{') {
                if let Some(end) = b[i + 2..].iter().position(|&c| c == b'}') {
                    let inner = &text[i + 2..i + 2 + end];
                    let (name, key) = match inner.find(['.', ':']) {
                        Some(p) => (&inner[..p], Some(&inner[p + 1..])),
                        None => (inner, None),
                    };
                    let var = Variable::from_name(name.trim())
                        .ok_or_else(|| format!("unknown variable `{}` in macro `%{{{inner}}}`", name.trim()))?;
                    let key = match key {
                        None => Key::None,
                        Some(k) if var == Variable::Tx => Key::Tx(tx.intern(k)),
                        Some(k) => Key::Name(k.to_ascii_lowercase().into_bytes().into()),
                    };
                    if !lit.is_empty() {
                        segs.push(Seg::Lit(std::mem::take(&mut lit).into()));
                    }
                    segs.push(Seg::Var(var, key));
                    i += 2 + end + 1;
                    continue;
                }
            }
            lit.push(b[i]);
            i += 1;
        }
        if !lit.is_empty() {
            segs.push(Seg::Lit(lit.into()));
        }
        Ok(Macro { segs: segs.into() })
    }

    /// The text when the macro has no variables.
    pub fn as_const(&self) -> Option<&[u8]> {
        match &*self.segs {
            [] => Some(b""),
            [Seg::Lit(l)] => Some(l),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_segments() {
        let mut tx = TxNames::new();
        let m = Macro::parse("score %{tx.Anomaly_Score} at %{MATCHED_VAR_NAME}!", &mut tx).unwrap_or_default();
        assert_eq!(m.segs.len(), 5);
        assert_eq!(m.segs[1], Seg::Var(Variable::Tx, Key::Tx(tx.intern("anomaly_score"))));
        assert_eq!(m.segs[3], Seg::Var(Variable::MatchedVarName, Key::None));
        assert!(Macro::parse("%{nope}", &mut tx).is_err());
        assert_eq!(Macro::parse("50%{", &mut tx).ok().and_then(|m| m.as_const().map(|c| c.to_vec())), Some(b"50%{".to_vec()));
    }
}
