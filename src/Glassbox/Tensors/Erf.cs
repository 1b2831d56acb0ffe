namespace Glassbox.Tensors;

/// <summary>
/// The error function in double precision (.NET has none). A Maclaurin series near zero, where it
/// converges fast, and a continued fraction for erfc in the tails; both good to ~1e-15 absolute,
/// far below float32 resolution.
/// </summary>
public static class Erf
{
    const double TwoOverSqrtPi = 1.1283791670955126;

    public static double Evaluate(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double a = Math.Abs(x);
        double r = a < 2.5 ? Series(a) : 1 - ComplementTail(a);
        return x < 0 ? -r : r;
    }

    // erf(x) = 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1)); |x| < 2.5 keeps the cancellation below 1e-13.
    static double Series(double x)
    {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 100; n++)
        {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
        }
        return TwoOverSqrtPi * sum;
    }

    // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated with modified Lentz.
    static double ComplementTail(double x)
    {
        if (x > 27) return 0;
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double an = n * 0.5;
            d = x + an * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
