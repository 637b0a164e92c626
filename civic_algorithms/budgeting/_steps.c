/* The fast MES engine's two innermost steps, pricing a project and paying for it, in C.
 *
 * On arrays of a few dozen ballot groups, numpy's fixed cost per call and Python's per element
 * were most of a run's time (decision 0108). These functions are FloatState.price and
 * FloatState.pay of civic_algorithms/budgeting/mes.py: the same operations on the same doubles in
 * the same order as the plain Python loops that test_fast_steps.py checks them against, so they
 * give the same floats. The build flags keep that true: no fast-math, and no contraction of
 * a * b + c into one rounding (-ffp-contract=off, in pyproject.toml).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdint.h>

#define EPS 1e-9 /* mes.EPS: the relative margin below which the exact engine decides */
#define ON_STACK 256

/* A one-dimensional contiguous buffer of doubles ('d'), int64 ('q') or bools ('?'). */
static int
take(PyObject *object, Py_buffer *view, char kind, int writable)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(object, view, flags) < 0) {
        return -1;
    }
    const char *format = view->format ? view->format : "B";
    if (*format == '@' || *format == '=' || *format == '<') {
        format++;
    }
    int fits = view->ndim == 1 && format[0] != '\0' && format[1] == '\0';
    if (kind == 'd') {
        fits = fits && format[0] == 'd' && view->itemsize == 8;
    }
    else if (kind == 'q') {
        fits = fits && (format[0] == 'q' || format[0] == 'l') && view->itemsize == 8;
    }
    else {
        fits = fits && format[0] == '?' && view->itemsize == 1;
    }
    if (!fits) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_TypeError, "expected a one-dimensional contiguous array of '%c'", kind);
        return -1;
    }
    return 0;
}

/* Whether every group number is a position in the budgets. */
static int
in_range(const int64_t *groups, Py_ssize_t n, Py_ssize_t size)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (groups[i] < 0 || groups[i] >= size) {
            PyErr_SetString(PyExc_IndexError, "a ballot group outside the budgets");
            return 0;
        }
    }
    return 1;
}

static int
to_double(PyObject *object, double *out)
{
    *out = PyFloat_AsDouble(object);
    return !(*out == -1.0 && PyErr_Occurred());
}

/* Take the buffers of args[0..count) as the kinds ("dq?") say, writable where flagged; on
   failure release those already taken. */
static int
take_all(PyObject *const *args, Py_buffer *views, const char *kinds, const char *writable)
{
    for (int i = 0; kinds[i] != '\0'; i++) {
        if (take(args[i], &views[i], kinds[i], writable[i] == 'w') < 0) {
            while (i-- > 0) {
                PyBuffer_Release(&views[i]);
            }
            return -1;
        }
    }
    return 0;
}

static void
release_all(Py_buffer *views, int count)
{
    for (int i = 0; i < count; i++) {
        PyBuffer_Release(&views[i]);
    }
}

enum outcome { PRICED, UNAFFORDABLE, UNSURE };

/* The price of a project whose supporters hold ``budgets``: the loop of FloatState.price. */
static enum outcome
settle(const double *budgets, const double *weight, const double *sat, const double *w_sat,
       Py_ssize_t n, double total, double common, double cost, double start, double *price)
{
    /* Affordability first: projects whose supporters have run dry leave here. */
    double money = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        money += weight[i] * budgets[i];
    }
    if (money < cost * (1 - EPS)) {
        return UNAFFORDABLE;
    }
    if (money <= cost * (1 + EPS)) {
        return UNSURE;
    }
    /* Grow the set of supporters who pay all they have (the poor) until the price settles. */
    double rho = cost / total > start ? cost / total : start; /* Python's max(start, ...) */
    const Py_ssize_t passes = n + 1;
    for (Py_ssize_t pass = 1; pass <= passes; pass++) {
        double paid = 0.0, share = 0.0, least;
        if (common != 0.0) { /* one satisfaction for all: one threshold on budgets */
            const double line = rho * common;
            least = INFINITY; /* the least budget that can pay the line */
            for (Py_ssize_t i = 0; i < n; i++) {
                if (budgets[i] < line) {
                    paid += weight[i] * budgets[i];
                    share += w_sat[i];
                }
                else if (budgets[i] < least) {
                    least = budgets[i];
                }
            }
        }
        else {
            least = -INFINITY;
            for (Py_ssize_t i = 0; i < n; i++) {
                if (budgets[i] < rho * sat[i]) {
                    paid += weight[i] * budgets[i];
                    share += w_sat[i];
                }
            }
        }
        const double share_left = total - share;
        if (share_left <= 0) {
            break;
        }
        const double trial = (cost - paid) / share_left;
        if (trial <= rho) {
            *price = rho;
            return PRICED;
        }
        if (trial * common <= least && pass < passes) {
            /* Nobody new is poor at the trial price: the next pass would sum the same poor in
               the same order and return the trial price itself. */
            *price = trial;
            return PRICED;
        }
        rho = trial;
    }
    return UNSURE;
}

PyDoc_STRVAR(price_doc,
"price(value, groups, weights, sats, w_sat, total, common, cost, start)\n--\n\n"
"A project's price (rho) given every group's budget in ``value`` and its supporters'\n"
"groups, weights, satisfactions and weight x satisfaction: ``inf`` when its supporters\n"
"certainly cannot pay for it, None when floats cannot tell (FloatState.price).");

static PyObject *
price(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "price() takes 9 arguments");
        return NULL;
    }
    double total, common, cost, start;
    if (!to_double(args[5], &total) || !to_double(args[6], &common) ||
        !to_double(args[7], &cost) || !to_double(args[8], &start)) {
        return NULL;
    }
    Py_buffer views[5]; /* value, groups, weights, sats, w_sat */
    if (take_all(args, views, "dqddd", "-----") < 0) {
        return NULL;
    }
    const Py_ssize_t n = views[1].len / 8;
    const int64_t *group = views[1].buf;
    const double *all = views[0].buf;
    double on_stack[ON_STACK];
    double *budgets = on_stack;
    PyObject *result = NULL;
    if (views[2].len != views[1].len || views[3].len != views[1].len ||
        views[4].len != views[1].len) {
        PyErr_SetString(PyExc_ValueError, "supporters' arrays of different lengths");
    }
    else if (in_range(group, n, views[0].len / 8)) {
        if (n > ON_STACK) {
            budgets = PyMem_Malloc((size_t)n * sizeof(double));
        }
        if (budgets == NULL) {
            PyErr_NoMemory();
        }
        else {
            for (Py_ssize_t i = 0; i < n; i++) {
                budgets[i] = all[group[i]];
            }
            double rho = 0.0;
            switch (settle(budgets, views[2].buf, views[3].buf, views[4].buf, n, total, common,
                           cost, start, &rho)) {
            case PRICED:
                result = PyFloat_FromDouble(rho);
                break;
            case UNAFFORDABLE:
                result = PyFloat_FromDouble(INFINITY);
                break;
            case UNSURE:
                result = Py_NewRef(Py_None);
                break;
            }
            if (budgets != on_stack) {
                PyMem_Free(budgets);
            }
        }
    }
    release_all(views, 5);
    return result;
}

PyDoc_STRVAR(pay_doc,
"pay(value, fuzzy, groups, sats, common, rho, split)\n--\n\n"
"Charge a bought project's supporters in place: each group's budget in ``value`` goes down\n"
"by min(budget, rho x satisfaction). Groups left within a relative 1e-9 of their charge are\n"
"marked in ``fuzzy`` and the result is None; otherwise, with ``split``, one byte per supporter\n"
"(1: paid all it had), else None (FloatState.pay).");

static PyObject *
pay(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "pay() takes 7 arguments");
        return NULL;
    }
    double common, rho;
    if (!to_double(args[4], &common) || !to_double(args[5], &rho)) {
        return NULL;
    }
    const int split = PyObject_IsTrue(args[6]);
    if (split < 0) {
        return NULL;
    }
    Py_buffer views[4]; /* value, fuzzy, groups, sats */
    if (take_all(args, views, "d?qd", "ww--") < 0) {
        return NULL;
    }
    const Py_ssize_t n = views[2].len / 8;
    const int64_t *group = views[2].buf;
    const double *sat = views[3].buf;
    double *all = views[0].buf;
    char *near = views[1].buf;
    PyObject *result = NULL, *poor = NULL;
    if (views[3].len != views[2].len || views[1].len != views[0].len / 8) {
        PyErr_SetString(PyExc_ValueError, "arrays of different lengths");
    }
    else if (in_range(group, n, views[0].len / 8) &&
             (!split || (poor = PyBytes_FromStringAndSize(NULL, n)) != NULL)) {
        char *paid_all = split ? PyBytes_AS_STRING(poor) : NULL;
        int close = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            const double charge = common != 0.0 ? rho * common : rho * sat[i];
            const double left = all[group[i]] - charge;
            if (fabs(left) <= EPS * charge) { /* too close to tell whether it paid all it had */
                close = 1;
                near[group[i]] = 1;
            }
            if (paid_all != NULL) {
                paid_all[i] = left < 0.0;
            }
            all[group[i]] = left < 0.0 ? 0.0 : left;
        }
        result = Py_NewRef(close || !split ? Py_None : poor);
    }
    Py_XDECREF(poor);
    release_all(views, 4);
    return result;
}

static PyMethodDef methods[] = {
    {"price", (PyCFunction)(void (*)(void))price, METH_FASTCALL, price_doc},
    {"pay", (PyCFunction)(void (*)(void))pay, METH_FASTCALL, pay_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "civic_algorithms.budgeting._steps",
    .m_doc = "The fast MES engine's pricing and paying steps in C (decision 0108).",
    .m_size = 0,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__steps(void)
{
    return PyModuleDef_Init(&module);
}
