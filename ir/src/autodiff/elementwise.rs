//! Derivatives of the elementwise ops: unary and binary functions, `select`
//! and casts.
//!
//! An elementwise op's derivative with respect to one operand is diagonal:
//! output element `i` moves with operand element `i` only. So one table of
//! *partials* serves both modes: the JVP multiplies each operand's tangent
//! by its partial and sums, the VJP multiplies the cotangent by each
//! partial. Conventions at non-differentiable points are those of
//! [`crate::autodiff`]'s module documentation.

use super::derivative_builder::DerivativeBuilder;
use crate::dtype::DType;
use crate::error::Result;
use crate::graph::NodeId;
use crate::op::{BinaryOp, UnaryOp};
use std::f64::consts::{LN_2, PI};

/// The derivative of an elementwise op's output with respect to one
/// operand: a product with a factor, or a cheaper linear map.
pub(super) enum Partial {
    /// The derivative is 1.
    Identity,
    /// The derivative is -1.
    Negate,
    /// The derivative is this node, elementwise.
    Factor(NodeId),
    /// 1 where the condition holds, else 0 (`select`'s first branch).
    WhereTrue(NodeId),
    /// 0 where the condition holds, else 1 (`select`'s second branch).
    WhereFalse(NodeId),
}

impl Partial {
    /// `partial * t`: a tangent pushed forward, or a cotangent pulled back
    /// (the same map, since it is diagonal).
    pub(super) fn apply(&self, e: &mut DerivativeBuilder, t: NodeId) -> Result<NodeId> {
        match *self {
            Partial::Identity => Ok(t),
            Partial::Negate => e.neg(t),
            Partial::Factor(factor) => e.mul(t, factor),
            Partial::WhereTrue(cond) => {
                let zero = e.constant_like(t, 0.0)?;
                e.select(cond, t, zero)
            }
            Partial::WhereFalse(cond) => {
                let zero = e.constant_like(t, 0.0)?;
                e.select(cond, zero, t)
            }
        }
    }
}

/// The partial of `y = op(x)`; `None` where the derivative is zero almost
/// everywhere (rounding, sign) or the op has no gradient (bool results).
pub(super) fn unary_partial(
    e: &mut DerivativeBuilder,
    op: UnaryOp,
    x: NodeId,
    y: NodeId,
) -> Result<Option<Partial>> {
    use UnaryOp::*;
    let factor = match op {
        Neg => return Ok(Some(Partial::Negate)),
        // sign(x): 0 at 0, as PyTorch (JAX takes 1 at 0).
        Abs => e.unary(Sign, x)?,
        Sign | Floor | Ceil | Round | Trunc | Not | IsNan | IsFinite => return Ok(None),
        Sqrt => {
            let r = e.unary(Recip, y)?;
            e.scale(r, 0.5)?
        }
        Exp => y,
        Expm1 => {
            let one = e.constant_like(y, 1.0)?;
            e.add(y, one)?
        }
        Exp2 => e.scale(y, LN_2)?,
        Log => e.unary(Recip, x)?,
        Log1p => {
            let one = e.constant_like(x, 1.0)?;
            let s = e.add(x, one)?;
            e.unary(Recip, s)?
        }
        Log2 => {
            let s = e.scale(x, LN_2)?;
            e.unary(Recip, s)?
        }
        Sin => e.unary(Cos, x)?,
        Cos => {
            let s = e.unary(Sin, x)?;
            e.neg(s)?
        }
        Tan => {
            let one = e.constant_like(y, 1.0)?;
            let y2 = e.unary(Square, y)?;
            e.add(one, y2)?
        }
        Tanh => {
            let one = e.constant_like(y, 1.0)?;
            let y2 = e.unary(Square, y)?;
            e.sub(one, y2)?
        }
        Asin | Acos => {
            let one = e.constant_like(x, 1.0)?;
            let x2 = e.unary(Square, x)?;
            let d = e.sub(one, x2)?;
            let root = e.unary(Sqrt, d)?;
            let r = e.unary(Recip, root)?;
            if op == Asin {
                r
            } else {
                e.neg(r)?
            }
        }
        Atan => {
            let one = e.constant_like(x, 1.0)?;
            let x2 = e.unary(Square, x)?;
            let d = e.add(one, x2)?;
            e.unary(Recip, d)?
        }
        Sinh => e.unary(Cosh, x)?,
        Cosh => e.unary(Sinh, x)?,
        Erf => {
            // 2/sqrt(pi) * exp(-x²)
            let x2 = e.unary(Square, x)?;
            let minus = e.neg(x2)?;
            let g = e.unary(Exp, minus)?;
            e.scale(g, 2.0 / PI.sqrt())?
        }
        Recip => {
            let y2 = e.unary(Square, y)?;
            e.neg(y2)?
        }
        Square => e.scale(x, 2.0)?,
    };
    Ok(Some(Partial::Factor(factor)))
}

/// The partials of `y = op(a, b)` with respect to `a` and `b`, each built
/// only when `wanted` (an operand that carries no gradient needs none).
pub(super) fn binary_partials(
    e: &mut DerivativeBuilder,
    op: BinaryOp,
    [a, b]: [NodeId; 2],
    y: NodeId,
    wanted: [bool; 2],
) -> Result<[Option<Partial>; 2]> {
    use BinaryOp::*;
    let mut partials = [None, None];
    for (side, slot) in partials.iter_mut().enumerate() {
        if !wanted[side] {
            continue;
        }
        *slot = match (op, side) {
            (Add, _) | (Sub, 0) | (Rem, 0) | (Fmod, 0) => Some(Partial::Identity),
            (Sub, _) => Some(Partial::Negate),
            (Mul, 0) => Some(Partial::Factor(b)),
            (Mul, _) => Some(Partial::Factor(a)),
            (Div, 0) => Some(Partial::Factor(e.unary(UnaryOp::Recip, b)?)),
            (Div, _) => {
                // -a/b² = -y/b
                let q = e.div(y, b)?;
                Some(Partial::Factor(e.neg(q)?))
            }
            // a - b*floor(a/b): d/db = -floor(a/b)
            (Rem, _) => {
                let q = e.binary(FloorDiv, a, b)?;
                Some(Partial::Factor(e.neg(q)?))
            }
            (Pow, 0) => {
                // b * a^(b-1), and 0 where b == 0 (not 0 * inf at a == 0).
                let one = e.constant_like(b, 1.0)?;
                let zero = e.constant_like(b, 0.0)?;
                let bm1 = e.sub(b, one)?;
                let p = e.binary(Pow, a, bm1)?;
                let d = e.mul(b, p)?;
                let b_zero = e.eq(b, zero)?;
                Some(Partial::Factor(e.select(b_zero, zero, d)?))
            }
            (Pow, _) => {
                // y * ln(a), and 0 where a == 0 (where y is 0 or 1 or inf).
                let one = e.constant_like(a, 1.0)?;
                let zero = e.constant_like(a, 0.0)?;
                let a_zero = e.eq(a, zero)?;
                let safe = e.select(a_zero, one, a)?;
                let ln = e.unary(UnaryOp::Log, safe)?;
                Some(Partial::Factor(e.mul(y, ln)?))
            }
            // a - b*trunc(a/b): d/db = -trunc(a/b)
            (Fmod, _) => {
                let q = e.div(a, b)?;
                let q = e.unary(UnaryOp::Trunc, q)?;
                Some(Partial::Factor(e.neg(q)?))
            }
            // |a| with b's sign: d/da = sign(a) * copysign(1, b), as abs's.
            (CopySign, 0) => {
                let one = e.constant_like(b, 1.0)?;
                let sign_b = e.binary(CopySign, one, b)?;
                let sign_a = e.unary(UnaryOp::Sign, a)?;
                Some(Partial::Factor(e.mul(sign_a, sign_b)?))
            }
            (CopySign, _) => None,
            (Maximum | Minimum | Fmax | Fmin, _) => {
                // 1 to the operand that is the result, 1/2 each on a tie (as JAX).
                let (this, other) = if side == 0 { (a, b) } else { (b, a) };
                let one = e.constant_like(y, 1.0)?;
                let half = e.constant_like(y, 0.5)?;
                let zero = e.constant_like(y, 0.0)?;
                let is_this = e.eq(this, y)?;
                let is_other = e.eq(other, y)?;
                let share = e.select(is_other, half, one)?;
                Some(Partial::Factor(e.select(is_this, share, zero)?))
            }
            (Atan2, _) => {
                // d/da = b/(a²+b²), d/db = -a/(a²+b²)
                let a2 = e.unary(UnaryOp::Square, a)?;
                let b2 = e.unary(UnaryOp::Square, b)?;
                let d = e.add(a2, b2)?;
                if side == 0 {
                    Some(Partial::Factor(e.div(b, d)?))
                } else {
                    let q = e.div(a, d)?;
                    Some(Partial::Factor(e.neg(q)?))
                }
            }
            (FloorDiv | Eq | Ne | Lt | Le | Gt | Ge | And | Or | Xor, _) => None,
        };
    }
    Ok(partials)
}

/// The partials of `select(cond, a, b)`: none for the condition, the
/// condition's mask for `a` and its complement for `b`.
pub(super) fn select_partials(cond: NodeId) -> [Option<Partial>; 3] {
    [
        None,
        Some(Partial::WhereTrue(cond)),
        Some(Partial::WhereFalse(cond)),
    ]
}

/// The partials of `mul_add(a, b, c) = a·b + c`: `b`, `a` and 1.
pub(super) fn mul_add_partials(a: NodeId, b: NodeId) -> [Option<Partial>; 3] {
    [
        Some(Partial::Factor(b)),
        Some(Partial::Factor(a)),
        Some(Partial::Identity),
    ]
}

/// A cast is linear: its tangent is the tangent cast, its cotangent is cast
/// back to the operand's dtype. Only float operands carry a derivative.
pub(super) fn cast(e: &mut DerivativeBuilder, t: NodeId, to: DType) -> Result<Option<NodeId>> {
    if !to.is_float() {
        return Ok(None);
    }
    e.cast(t, to).map(Some)
}
