// Logs fontconfig's font-matching calls in every process it is preloaded into: one line per call
// (CLOCK_MONOTONIC seconds, the call, its µs, the thread, the pattern's first family, weight and
// slant) to /tmp/fclog/<pid>.log. How bench/FINDINGS.md counted WebKitGTK's font lookups: each
// FcConfigSubstitute + FcFontMatch starts one family's lookup, the FcFontSetMatch calls after it
// are that lookup's checks.
//
//   gcc -O2 -shared -fPIC -o /tmp/fclog.so bench/trace/fclog.c $(pkg-config --cflags --libs fontconfig)
//   mkdir -p /tmp/fclog && LD_PRELOAD=/tmp/fclog.so thanks-connect      # the web process inherits it
//
// Each line is written as it happens (line-buffered), which adds to every call's cost: count
// with it, time without it. A measuring aid only; never shipped or linked into the app.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static FILE *out;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void note(const char *call, double start, FcPattern *p) {
  double end = now();
  if (!out) {
    char name[64];
    snprintf(name, sizeof name, "/tmp/fclog/%d.log", (int)getpid());
    out = fopen(name, "w");
    if (!out) return;
    setvbuf(out, NULL, _IOLBF, 0);
  }
  FcChar8 *family = NULL;
  int weight = -1, slant = -1;
  if (p) {
    FcPatternGetString(p, FC_FAMILY, 0, &family);
    FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
    FcPatternGetInteger(p, FC_SLANT, 0, &slant);
  }
  fprintf(out, "%.6f %s %.0f %ld %s:weight=%d:slant=%d\n", start, call, (end - start) * 1e6, (long)syscall(SYS_gettid),
          family ? (const char *)family : "-", weight, slant);
}

// Each wrapper finds the real function once and times the call around it.
#define LOGGED(ret, name, params, args, pattern)                 \
  ret name params {                                              \
    static ret(*real) params;                                    \
    if (!real) real = (ret(*) params)dlsym(RTLD_NEXT, #name);    \
    double start = now();                                        \
    ret r = real args;                                           \
    note(#name, start, pattern);                                 \
    return r;                                                    \
  }

LOGGED(FcBool, FcConfigSubstitute, (FcConfig * c, FcPattern *p, FcMatchKind k), (c, p, k), p)
LOGGED(FcPattern *, FcFontMatch, (FcConfig * c, FcPattern *p, FcResult *res), (c, p, res), p)
LOGGED(FcPattern *, FcFontSetMatch, (FcConfig * c, FcFontSet **s, int n, FcPattern *p, FcResult *res), (c, s, n, p, res), p)
LOGGED(FcFontSet *, FcFontSort, (FcConfig * c, FcPattern *p, FcBool trim, FcCharSet **cs, FcResult *res), (c, p, trim, cs, res), p)
LOGGED(FcFontSet *, FcFontSetSort, (FcConfig * c, FcFontSet **s, int n, FcPattern *p, FcBool trim, FcCharSet **cs, FcResult *res),
       (c, s, n, p, trim, cs, res), p)
