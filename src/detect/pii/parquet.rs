//! The schema of a Parquet file, read from its footer: column names, their types and
//! the number of rows.
//!
//! A Parquet file ends with its metadata (Thrift compact protocol), its length (4 bytes,
//! little-endian) and `PAR1`. Only what the judgement needs is decoded: `FileMetaData`
//! fields 2 (the schema, a list of `SchemaElement`: 1 type, 4 name, 5 num_children,
//! 6 converted type, 10 logical type) and 3 (num_rows); everything else is skipped by
//! its wire type. Written for this instead of taking a Parquet crate: the full readers
//! bring dozens of crates and a minute of build for a job of a few hundred bytes.
//!
//! Hostile input is bounded: the footer must lie inside the bytes read, lists and
//! strings inside the footer, nesting at most 32 deep, at most [`MAX_COLUMNS`] columns;
//! anything else is no schema (`None`), never a panic.

/// Columns kept at most.
pub(crate) const MAX_COLUMNS: usize = 1024;

/// What a column holds, as far as the judgement cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Bool,
    Date,
    Text,
    Number,
    Other,
}

/// A leaf column: where its name is in the file, and its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Col {
    pub at: usize,
    pub len: usize,
    pub ty: Ty,
}

/// The schema of a whole Parquet file (`bytes` from its first byte to its last): its
/// leaf columns and its number of rows.
pub(crate) fn schema(bytes: &[u8]) -> Option<(Vec<Col>, u64)> {
    if bytes.len() < 12 || &bytes[..4] != b"PAR1" {
        return None;
    }
    schema_at_end(bytes, 4)
}

/// The schema from the last bytes of a Parquet file (`bytes` ends where the file
/// ends; its footer must lie inside it), the footer starting at `min_start` or later.
pub(crate) fn schema_at_end(bytes: &[u8], min_start: usize) -> Option<(Vec<Col>, u64)> {
    let n = bytes.len();
    if n < 8 || &bytes[n - 4..] != b"PAR1" {
        return None;
    }
    let len = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().ok()?) as usize;
    let start = (n - 8).checked_sub(len)?;
    if start < min_start {
        return None;
    }
    let mut r = Reader {
        b: bytes,
        p: start,
        end: n - 8,
    };
    let mut cols = Vec::new();
    let mut rows = 0u64;
    let mut last = 0i16;
    loop {
        let (id, t) = r.field(&mut last)?;
        match (id, t) {
            (_, STOP) => break,
            (2, LIST) => {
                let (size, et) = r.list_header()?;
                if et != STRUCT {
                    return None;
                }
                for _ in 0..size {
                    let e = r.schema_element()?;
                    // Leaves only: a group (struct, list, map) has children.
                    if e.children == 0 && cols.len() < MAX_COLUMNS {
                        cols.push(Col {
                            at: e.name.0,
                            len: e.name.1,
                            ty: e.ty,
                        });
                    }
                }
            }
            (3, I64) => rows = u64::try_from(r.zigzag()?).unwrap_or(0),
            _ => r.skip(t, 0)?,
        }
    }
    // The first element is the root: a group with children, so not kept.
    Some((cols, rows))
}

const STOP: u8 = 0;
const TRUE: u8 = 1;
const FALSE: u8 = 2;
const BYTE: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;

struct Element {
    name: (usize, usize),
    children: i64,
    ty: Ty,
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
    end: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        if self.p >= self.end {
            return None;
        }
        self.p += 1;
        Some(self.b[self.p - 1])
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn zigzag(&mut self) -> Option<i64> {
        let v = self.varint()?;
        Some((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A field header: (field id, wire type); `last` is the previous field id of the
    /// struct.
    fn field(&mut self, last: &mut i16) -> Option<(i16, u8)> {
        let h = self.byte()?;
        let t = h & 0x0f;
        if t == STOP {
            return Some((0, STOP));
        }
        let delta = h >> 4;
        let id = if delta == 0 {
            i16::try_from(self.zigzag()?).ok()?
        } else {
            last.checked_add(i16::from(delta))?
        };
        *last = id;
        Some((id, t))
    }

    fn list_header(&mut self) -> Option<(usize, u8)> {
        let h = self.byte()?;
        let size = match h >> 4 {
            15 => usize::try_from(self.varint()?).ok()?,
            s => usize::from(s),
        };
        // Each element takes a byte at least: a longer list cannot be in the footer.
        if size > self.end - self.p {
            return None;
        }
        Some((size, h & 0x0f))
    }

    fn binary(&mut self) -> Option<(usize, usize)> {
        let len = usize::try_from(self.varint()?).ok()?;
        if len > self.end - self.p {
            return None;
        }
        let at = self.p;
        self.p += len;
        Some((at, len))
    }

    fn skip(&mut self, t: u8, depth: u32) -> Option<()> {
        if depth > 32 {
            return None;
        }
        match t {
            TRUE | FALSE => {}
            BYTE => {
                self.byte()?;
            }
            I16 | I32 | I64 => {
                self.varint()?;
            }
            DOUBLE => {
                if self.end - self.p < 8 {
                    return None;
                }
                self.p += 8;
            }
            BINARY => {
                self.binary()?;
            }
            LIST | SET => {
                let (size, et) = self.list_header()?;
                for _ in 0..size {
                    self.skip_element(et, depth + 1)?;
                }
            }
            MAP => {
                let size = usize::try_from(self.varint()?).ok()?;
                if size > self.end - self.p {
                    return None;
                }
                if size > 0 {
                    let kv = self.byte()?;
                    for _ in 0..size {
                        self.skip_element(kv >> 4, depth + 1)?;
                        self.skip_element(kv & 0x0f, depth + 1)?;
                    }
                }
            }
            STRUCT => {
                let mut last = 0;
                loop {
                    let (_, ft) = self.field(&mut last)?;
                    if ft == STOP {
                        break;
                    }
                    self.skip(ft, depth + 1)?;
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// A list element: booleans are a byte each there.
    fn skip_element(&mut self, t: u8, depth: u32) -> Option<()> {
        if matches!(t, TRUE | FALSE) {
            self.byte()?;
            return Some(());
        }
        self.skip(t, depth)
    }

    fn schema_element(&mut self) -> Option<Element> {
        let mut last = 0;
        let (mut name, mut children, mut physical, mut converted, mut logical) =
            (None, 0i64, None, None, None);
        loop {
            let (id, t) = self.field(&mut last)?;
            match (id, t) {
                (_, STOP) => break,
                (1, I32) => physical = Some(self.zigzag()?),
                (4, BINARY) => name = Some(self.binary()?),
                (5, I32) => children = self.zigzag()?,
                (6, I32) => converted = Some(self.zigzag()?),
                (10, STRUCT) => {
                    // A union: the id of its one field says which logical type.
                    let mut l = 0;
                    let (lid, lt) = self.field(&mut l)?;
                    if lt != STOP {
                        logical = Some(lid);
                        self.skip(lt, 1)?;
                        let (_, end) = self.field(&mut l)?;
                        if end != STOP {
                            return None;
                        }
                    }
                }
                _ => self.skip(t, 1)?,
            }
        }
        // Logical types: 1 string, 4 enum, 6 date, 8 timestamp, 10 integer, 12 JSON;
        // converted: 0 UTF8, 4 ENUM, 6 DATE, 9/10 TIMESTAMP; physical: 0 BOOLEAN,
        // 1 INT32 … 5 DOUBLE, 6 BYTE_ARRAY.
        let ty = match (logical, converted, physical) {
            (Some(1 | 4 | 12), _, _) | (_, Some(0 | 4), _) => Ty::Text,
            (Some(6 | 8), _, _) | (_, Some(6 | 9 | 10), _) => Ty::Date,
            (_, _, Some(0)) => Ty::Bool,
            (_, _, Some(1..=5)) => Ty::Number,
            (_, _, Some(6)) => Ty::Text,
            _ => Ty::Other,
        };
        Some(Element {
            name: name?,
            children,
            ty,
        })
    }
}

/// A Parquet file's footer bytes for tests: a writer of the subset [`schema`] reads.
#[cfg(test)]
pub(crate) mod write {
    /// `columns`: (name, physical type, converted type); `rows`.
    pub(crate) fn file(columns: &[(&str, i32, Option<i32>)], rows: i64) -> Vec<u8> {
        fn varint(out: &mut Vec<u8>, mut v: u64) {
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    out.push(b);
                    return;
                }
                out.push(b | 0x80);
            }
        }
        fn zz(v: i64) -> u64 {
            ((v << 1) ^ (v >> 63)) as u64
        }
        let mut m = Vec::new();
        // 1: version (i32) = 1
        m.push(0x15);
        varint(&mut m, zz(1));
        // 2: schema (list<struct>)
        m.push(0x19);
        let n = columns.len() + 1;
        if n < 15 {
            m.push(((n as u8) << 4) | 12);
        } else {
            m.push(0xf0 | 12);
            varint(&mut m, n as u64);
        }
        // the root: name "schema", num_children
        m.push(0x48);
        varint(&mut m, 6);
        m.extend_from_slice(b"schema");
        m.push(0x15);
        varint(&mut m, zz(columns.len() as i64));
        m.push(0);
        for (name, physical, converted) in columns {
            m.push(0x15);
            varint(&mut m, zz(i64::from(*physical)));
            m.push(0x38); // field 4 (delta 3), binary
            varint(&mut m, name.len() as u64);
            m.extend_from_slice(name.as_bytes());
            if let Some(c) = converted {
                m.push(0x25); // field 6 (delta 2), i32
                varint(&mut m, zz(i64::from(*c)));
            }
            m.push(0);
        }
        // 3: num_rows (i64)
        m.push(0x16);
        varint(&mut m, zz(rows));
        // 4: row groups (empty list)
        m.push(0x19);
        m.push(12);
        m.push(0);
        m.push(0);
        let mut f = b"PAR1".to_vec();
        f.extend_from_slice(&[0u8; 16]);
        f.extend_from_slice(&m);
        f.extend_from_slice(&(m.len() as u32).to_le_bytes());
        f.extend_from_slice(b"PAR1");
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_types_and_rows() {
        let f = write::file(
            &[
                ("patient_id", 2, None),
                ("name", 6, Some(0)),
                ("dob", 1, Some(6)),
                ("diabetes", 0, None),
            ],
            3,
        );
        let (cols, rows) = schema(&f).unwrap();
        assert_eq!(rows, 3);
        let got: Vec<(&[u8], Ty)> = cols
            .iter()
            .map(|c| (&f[c.at..c.at + c.len], c.ty))
            .collect();
        assert_eq!(
            got,
            [
                (&b"patient_id"[..], Ty::Number),
                (&b"name"[..], Ty::Text),
                (&b"dob"[..], Ty::Date),
                (&b"diabetes"[..], Ty::Bool)
            ]
        );
    }

    #[test]
    fn hostile_footers_are_no_schema() {
        let f = write::file(&[("a", 0, None)], 1);
        // Every truncation and every single-byte change either reads or fails: no panic.
        for cut in 0..f.len() {
            let _ = schema(&f[cut..]);
            let _ = schema(&f[..cut]);
        }
        for i in 0..f.len() {
            for b in [0u8, 0x0f, 0x19, 0xff] {
                let mut g = f.clone();
                g[i] = b;
                let _ = schema(&g);
            }
        }
        assert!(schema(b"PAR1PAR1").is_none());
        // The end of a file alone: its footer.
        let (cols, rows) = schema_at_end(&f[20..], 0).unwrap();
        assert_eq!((cols.len(), rows), (1, 1));
        assert!(schema_at_end(&f[f.len() - 20..], 0).is_none());
        let mut long = f.clone();
        let n = long.len();
        long[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(schema(&long).is_none());
    }
}
