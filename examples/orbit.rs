//! The Arenstorf orbit: a periodic solution of the restricted three-body
//! problem (a satellite around the Earth and the Moon), integrated over
//! one period with DOP853 at rtol = atol = 1e-10, and drawn from the dense
//! output to a PNG.
//!
//! `cargo run --release --example orbit [out.png]`

use ndjit::integrate::{solve_ivp, IvpOptions, Method};
use ndjit::{s, stack, Array};
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

/// The Moon's mass relative to the Earth's and the Moon's together.
const MU: f64 = 0.012277471;
const Y0: [f64; 4] = [0.994, 0.0, 0.0, -2.001_585_106_379_082_4];
const PERIOD: f64 = 17.065_216_560_157_964;

/// `y = (x, y, x', y')` in the frame rotating with the Earth (at `-MU`)
/// and the Moon (at `1 - MU`).
fn arenstorf(_t: &Array, y: &Array) -> Array {
    let nu = 1.0 - MU;
    let (x, yy, vx, vy) = (
        y.slice(s![0]),
        y.slice(s![1]),
        y.slice(s![2]),
        y.slice(s![3]),
    );
    let d1 = ((&x + MU).square() + yy.square()).pow(1.5);
    let d2 = ((&x - nu).square() + yy.square()).pow(1.5);
    let ax = &x + &vy * 2.0 - (&x + MU) * nu / &d1 - (&x - nu) * MU / &d2;
    let ay = &yy - &vx * 2.0 - &yy * nu / &d1 - &yy * MU / &d2;
    stack(&[vx, vy, ax, ay], 0)
}

/// Registers a system font for the plot's text (plotters draws text with
/// fonts it is given, none built in); `false` if none is found, and the
/// plot is then drawn without text.
fn register_a_font() -> bool {
    let candidates = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/Library/Fonts/Arial.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
    ];
    candidates.iter().any(|path| match std::fs::read(path) {
        // Fonts are registered for the life of the program.
        Ok(bytes) => register_font(
            "sans-serif",
            FontStyle::Normal,
            Box::leak(bytes.into_boxed_slice()),
        )
        .is_ok(),
        Err(_) => false,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "orbit.png".to_string());
    let options = IvpOptions::default()
        .rtol(1e-10)
        .atol(1e-10)
        .dense_output(true);
    let r = solve_ivp(arenstorf, (0.0, PERIOD), &Y0, Method::DOP853, options)?;
    let sol = r.sol.as_ref().ok_or("no dense output")?;
    let end = sol.call(PERIOD);
    let distance = end
        .iter()
        .zip(Y0)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    println!(
        "{}: {} steps, nfev = {}, |y(T) - y(0)|_inf = {distance:.2e}",
        r.message,
        r.t.size() - 1,
        r.nfev
    );

    // The curve from the dense output, and the steps the solver took.
    let curve: Vec<(f64, f64)> = (0..=4000)
        .map(|k| {
            let y = sol.call(PERIOD * f64::from(k) / 4000.0);
            (y[0], y[1])
        })
        .collect();
    let m = r.t.size();
    let y = r.y.to_vec::<f64>()?;
    let steps: Vec<(f64, f64)> = (0..m).map(|j| (y[j], y[m + j])).collect();

    let text = register_a_font();
    let root = BitMapBackend::new(&path, (900, 800)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut builder = ChartBuilder::on(&root);
    builder.margin(15);
    if text {
        builder
            .caption(
                format!(
                    "Arenstorf orbit, DOP853, rtol = 1e-10: {} steps, {} evaluations",
                    m - 1,
                    r.nfev
                ),
                ("sans-serif", 22),
            )
            .x_label_area_size(40)
            .y_label_area_size(50);
    }
    let mut chart = builder.build_cartesian_2d(-1.5f64..1.2f64, -1.5f64..1.5f64)?;
    let mut mesh = chart.configure_mesh();
    if text {
        mesh.x_desc("x").y_desc("y");
    } else {
        mesh.disable_x_mesh().disable_y_mesh();
    }
    mesh.draw()?;
    chart
        .draw_series(LineSeries::new(curve, BLUE.stroke_width(2)))?
        .label("dense output")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE.stroke_width(2)));
    chart
        .draw_series(steps.iter().map(|&p| Circle::new(p, 3, RED.filled())))?
        .label("steps")
        .legend(|(x, y)| Circle::new((x + 10, y), 3, RED.filled()));
    chart.draw_series([
        Circle::new((-MU, 0.0), 9, GREEN.filled()),
        Circle::new((1.0 - MU, 0.0), 5, BLACK.filled()),
    ])?;
    if text {
        chart.draw_series([
            Text::new("Earth", (-MU + 0.06, -0.1), ("sans-serif", 18)),
            Text::new("Moon", (1.0 - MU - 0.05, -0.12), ("sans-serif", 18)),
        ])?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .border_style(BLACK)
            .background_style(WHITE.mix(0.8))
            .draw()?;
    }
    root.present()?;
    println!("wrote {path}");
    Ok(())
}
