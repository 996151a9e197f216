//! A nonlinear fit to noisy data with `curve_fit`, and a plot of data,
//! fit and 95% confidence band written as SVG.
//!
//! `cargo run --release --example curve_fit` (writes `curve_fit.svg`)

use ndjit::autodiff::jacobian;
use ndjit::optimize::curve_fit;
use ndjit::{s, Array};
use std::fmt::Write as _;

/// The model a·e^(−k t) + c; its Jacobian in (a, k, c) is exact by autodiff.
fn model(t: &Array, p: &Array) -> Array {
    let (a, k, c) = (p.slice(s![0]), p.slice(s![1]), p.slice(s![2]));
    a * (-(k * t)).exp() + c
}

/// Deterministic "noise": a sum of sines standing in for measurement error.
fn noise(i: usize) -> f64 {
    let x = i as f64;
    0.08 * ((1.7 * x).sin() + 0.6 * (4.3 * x + 1.0).sin() + 0.3 * (11.1 * x).cos())
}

fn main() -> ndjit::Result<()> {
    let m = 60;
    let t: Vec<f64> = (0..m).map(|i| i as f64 * 0.1).collect();
    let y: Vec<f64> = t
        .iter()
        .enumerate()
        .map(|(i, t)| 2.5 * (-1.3 * t).exp() + 0.5 + noise(i))
        .collect();
    let t_array = Array::from_vec(t.clone(), [m]);
    let fit = curve_fit(model, &t_array, &y, &[1.0, 1.0, 0.0], None, false)?;
    for (k, name) in ["a", "k", "c"].iter().enumerate() {
        let sd = fit.pcov[k * 3 + k].sqrt();
        println!("{name} = {:.5} ± {sd:.5}", fit.popt[k]);
    }
    println!("{} evaluations, {}", fit.result.nfev, fit.result.message);

    // The band: var(f(t)) = gᵀ Σ g with g = ∂f/∂p at each plotted t.
    let grid: Vec<f64> = (0..=200).map(|i| i as f64 * 0.03).collect();
    let grid_array = Array::from_vec(grid.clone(), [grid.len()]);
    let p = Array::from_vec(fit.popt.clone(), [3]);
    let curve = model(&grid_array, &p).to_vec::<f64>()?;
    let g = jacobian(|p: &Array| model(&grid_array, p))(&p).to_vec::<f64>()?;
    let band: Vec<f64> = (0..grid.len())
        .map(|i| {
            let gi = &g[i * 3..i * 3 + 3];
            let variance: f64 = (0..3)
                .flat_map(|r| (0..3).map(move |c| (r, c)))
                .map(|(r, c)| gi[r] * fit.pcov[r * 3 + c] * gi[c])
                .sum();
            1.96 * variance.max(0.0).sqrt()
        })
        .collect();
    std::fs::write("curve_fit.svg", svg(&t, &y, &grid, &curve, &band))
        .map_err(|e| ndjit::Error::Access(format!("writing curve_fit.svg: {e}")))?;
    println!("wrote curve_fit.svg");
    Ok(())
}

/// A small hand-written SVG: axes, band, fitted curve, data points.
fn svg(t: &[f64], y: &[f64], grid: &[f64], curve: &[f64], band: &[f64]) -> String {
    let (width, height, margin) = (640.0, 400.0, 50.0);
    let (x_max, y_min, y_max) = (6.0, 0.0, 3.5);
    let px = |x: f64| margin + x / x_max * (width - 2.0 * margin);
    let py = |v: f64| height - margin - (v - y_min) / (y_max - y_min) * (height - 2.0 * margin);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let upper: Vec<String> = grid
        .iter()
        .zip(curve)
        .zip(band)
        .map(|((x, c), b)| format!("{:.1},{:.1}", px(*x), py(c + b)))
        .collect();
    let lower: Vec<String> = grid
        .iter()
        .zip(curve)
        .zip(band)
        .rev()
        .map(|((x, c), b)| format!("{:.1},{:.1}", px(*x), py(c - b)))
        .collect();
    let _ = writeln!(
        out,
        r##"<polygon points="{} {}" fill="#9ecae1" fill-opacity="0.6" stroke="none"/>"##,
        upper.join(" "),
        lower.join(" ")
    );
    let line: Vec<String> = grid
        .iter()
        .zip(curve)
        .map(|(x, c)| format!("{:.1},{:.1}", px(*x), py(*c)))
        .collect();
    let _ = writeln!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#08519c" stroke-width="2"/>"##,
        line.join(" ")
    );
    for (x, v) in t.iter().zip(y) {
        let _ = writeln!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="#de2d26"/>"##,
            px(*x),
            py(*v)
        );
    }
    let _ = writeln!(
        out,
        r#"<line x1="{m}" y1="{b}" x2="{r}" y2="{b}" stroke="black"/><line x1="{m}" y1="{m}" x2="{m}" y2="{b}" stroke="black"/>"#,
        m = margin,
        b = height - margin,
        r = width - margin
    );
    for k in 0..=6 {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{k}</text>"#,
            px(k as f64),
            height - margin + 16.0
        );
    }
    for k in 0..=3 {
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{k}</text>"#,
            margin - 6.0,
            py(k as f64) + 4.0
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="20" text-anchor="middle">curve_fit: data, a·exp(−k t) + c, 95% band</text>"#,
        width / 2.0
    );
    out.push_str("</svg>\n");
    out
}
