//! Shapes, strides and NumPy broadcasting.

use std::fmt;

/// The extent of each axis of an array, outermost first (row-major).
///
/// A 0-d array (a scalar) has the empty shape `[]` and one element; a shape
/// with a zero extent has no elements.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Shape(pub Vec<usize>);

impl Shape {
    /// The 0-d shape of a scalar.
    pub fn scalar() -> Shape {
        Shape(Vec::new())
    }

    /// Number of axes.
    pub fn rank(&self) -> usize {
        self.0.len()
    }

    /// Number of elements (1 for a 0-d shape). Saturates at `usize::MAX`
    /// for a shape whose count overflows: no array has such a shape (every
    /// constructor rejects it, see [`Shape::checked_numel`]), so the value
    /// only ever reaches error messages.
    pub fn numel(&self) -> usize {
        self.checked_numel().unwrap_or(usize::MAX)
    }

    /// Number of elements, or `None` if it overflows `usize`. A zero extent
    /// anywhere makes the count 0, however large the others are.
    pub fn checked_numel(&self) -> Option<usize> {
        if self.0.contains(&0) {
            return Some(0);
        }
        self.0.iter().try_fold(1usize, |n, &d| n.checked_mul(d))
    }

    /// The extents as a slice.
    pub fn dims(&self) -> &[usize] {
        &self.0
    }

    /// Row-major (C-contiguous) strides, in elements.
    pub fn contiguous_strides(&self) -> Vec<isize> {
        let mut strides = vec![0isize; self.rank()];
        let mut step = 1isize;
        for (stride, &dim) in strides.iter_mut().zip(&self.0).rev() {
            *stride = step;
            step *= dim.max(1) as isize;
        }
        strides
    }

    /// Resolves a possibly negative axis (`-1` is the last) against this
    /// rank; `None` when out of range.
    pub fn normalize_axis(&self, axis: isize) -> Option<usize> {
        let rank = self.rank() as isize;
        let axis = if axis < 0 { axis + rank } else { axis };
        (0..rank).contains(&axis).then_some(axis as usize)
    }
}

impl From<Vec<usize>> for Shape {
    fn from(dims: Vec<usize>) -> Shape {
        Shape(dims)
    }
}

impl From<&[usize]> for Shape {
    fn from(dims: &[usize]) -> Shape {
        Shape(dims.to_vec())
    }
}

impl<const N: usize> From<[usize; N]> for Shape {
    fn from(dims: [usize; N]) -> Shape {
        Shape(dims.to_vec())
    }
}

impl fmt::Display for Shape {
    /// `[2, 3]`, `[]` for a scalar.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{d}")?;
        }
        f.write_str("]")
    }
}

/// The shape two operands broadcast to, by NumPy's rule: align the shapes
/// on the right; each pair of extents must be equal or one of them 1 (which
/// stretches). `None` when they are incompatible.
pub fn broadcast_shapes(a: &Shape, b: &Shape) -> Option<Shape> {
    let rank = a.rank().max(b.rank());
    let mut out = vec![0; rank];
    for (i, slot) in out.iter_mut().enumerate() {
        let da = extent_from_right(a, rank - 1 - i);
        let db = extent_from_right(b, rank - 1 - i);
        *slot = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => return None,
        };
    }
    Some(Shape(out))
}

/// Whether `from` broadcasts to exactly `to` (as `np.broadcast_to` allows).
pub fn broadcasts_to(from: &Shape, to: &Shape) -> bool {
    from.rank() <= to.rank() && broadcast_shapes(from, to).as_ref() == Some(to)
}

fn extent_from_right(shape: &Shape, from_right: usize) -> usize {
    if from_right < shape.rank() {
        shape.0[shape.rank() - 1 - from_right]
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_follows_numpy() {
        let s = |d: &[usize]| Shape(d.to_vec());
        assert_eq!(broadcast_shapes(&s(&[3, 1]), &s(&[4])), Some(s(&[3, 4])));
        assert_eq!(broadcast_shapes(&s(&[]), &s(&[2, 3])), Some(s(&[2, 3])));
        assert_eq!(broadcast_shapes(&s(&[0]), &s(&[1])), Some(s(&[0])));
        assert_eq!(broadcast_shapes(&s(&[0]), &s(&[2])), None);
        assert_eq!(broadcast_shapes(&s(&[2, 3]), &s(&[3, 2])), None);
        assert!(broadcasts_to(&s(&[3, 1]), &s(&[2, 3, 5])));
        assert!(!broadcasts_to(&s(&[2, 3]), &s(&[3])));
    }

    #[test]
    fn strides_are_row_major() {
        assert_eq!(Shape(vec![2, 3, 4]).contiguous_strides(), vec![12, 4, 1]);
        assert_eq!(Shape(vec![]).contiguous_strides(), Vec::<isize>::new());
        assert_eq!(Shape(vec![2, 3]).numel(), 6);
        assert_eq!(Shape(vec![]).numel(), 1);
        assert_eq!(Shape(vec![2, 0, 3]).numel(), 0);
        assert_eq!(Shape(vec![2, 3]).normalize_axis(-1), Some(1));
        assert_eq!(Shape(vec![usize::MAX, 2]).checked_numel(), None);
        assert_eq!(Shape(vec![usize::MAX, 2]).numel(), usize::MAX);
        assert_eq!(Shape(vec![usize::MAX, 2, 0]).checked_numel(), Some(0));
        assert_eq!(Shape(vec![2, 3]).normalize_axis(2), None);
    }
}
