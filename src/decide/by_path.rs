//! Records by path, as [`super::finish`] reads and amends them: an ordered map, or
//! the sorted list a scan's merge produces (the map would be built only to be walked
//! once and dropped).

use std::collections::BTreeMap;

/// Records by path: looked up, amended, and walked in path order.
pub trait ByPath<R> {
    fn get(&self, path: &str) -> Option<&R>;
    fn get_mut(&mut self, path: &str) -> Option<&mut R>;
    /// Every record, in path order.
    fn sorted<'a>(&'a self) -> impl Iterator<Item = (&'a str, &'a R)>
    where
        R: 'a;
    /// The records from `path` on, in path order.
    fn starting_at<'a>(&'a self, path: &str) -> impl Iterator<Item = (&'a str, &'a R)>
    where
        R: 'a;
}

impl<R> ByPath<R> for BTreeMap<String, R> {
    fn get(&self, path: &str) -> Option<&R> {
        BTreeMap::get(self, path)
    }
    fn get_mut(&mut self, path: &str) -> Option<&mut R> {
        BTreeMap::get_mut(self, path)
    }
    fn sorted<'a>(&'a self) -> impl Iterator<Item = (&'a str, &'a R)>
    where
        R: 'a,
    {
        self.iter().map(|(p, r)| (p.as_str(), r))
    }
    fn starting_at<'a>(&'a self, path: &str) -> impl Iterator<Item = (&'a str, &'a R)>
    where
        R: 'a,
    {
        self.range::<str, _>((std::ops::Bound::Included(path), std::ops::Bound::Unbounded))
            .map(|(p, r)| (p.as_str(), r))
    }
}

/// Records in a list sorted by path, each path once.
#[derive(Debug)]
pub struct Sorted<R>(Vec<(String, R)>);

impl<R> Sorted<R> {
    /// `list` must be sorted by path, each path once (checked in debug builds).
    pub fn new(list: Vec<(String, R)>) -> Sorted<R> {
        debug_assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "sorted, unique");
        Sorted(list)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, (String, R)> {
        self.0.iter()
    }

    pub fn as_slice(&self) -> &[(String, R)] {
        &self.0
    }

    fn find(&self, path: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(p, _)| p.as_str().cmp(path))
    }
}

impl<R> IntoIterator for Sorted<R> {
    type Item = (String, R);
    type IntoIter = std::vec::IntoIter<(String, R)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<R> ByPath<R> for Sorted<R> {
    fn get(&self, path: &str) -> Option<&R> {
        self.find(path).ok().map(|i| &self.0[i].1)
    }
    fn get_mut(&mut self, path: &str) -> Option<&mut R> {
        self.find(path).ok().map(|i| &mut self.0[i].1)
    }
    fn sorted<'a>(&'a self) -> impl Iterator<Item = (&'a str, &'a R)>
    where
        R: 'a,
    {
        self.0.iter().map(|(p, r)| (p.as_str(), r))
    }
    fn starting_at<'a>(&'a self, path: &str) -> impl Iterator<Item = (&'a str, &'a R)>
    where
        R: 'a,
    {
        let at = self.find(path).unwrap_or_else(|i| i);
        self.0[at..].iter().map(|(p, r)| (p.as_str(), r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sorted_list_answers_as_the_map() {
        let paths = ["a", "a/b", "a/b/c", "a.b", "b", "b/a", "c"];
        let map: BTreeMap<String, usize> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), i))
            .collect();
        let mut list = Sorted::new(map.clone().into_iter().collect());
        let mut map = map;
        assert!(list.sorted().eq(map.sorted()));
        for q in ["", "a", "a/", "a/b", "a/c", "a0", "b/", "bb", "c", "d"] {
            assert_eq!(ByPath::get(&list, q), ByPath::get(&map, q), "{q}");
            assert!(list.starting_at(q).eq(map.starting_at(q)), "{q}");
        }
        *ByPath::get_mut(&mut list, "b").unwrap() = 10;
        *ByPath::get_mut(&mut map, "b").unwrap() = 10;
        assert!(ByPath::get_mut(&mut list, "bb").is_none());
        assert!(list.sorted().eq(map.sorted()));
        assert_eq!(list.len(), 7);
    }
}
