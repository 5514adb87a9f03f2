/*
 * bcryptprimitives.dll for Wine 8, which doesn't have one.
 *
 * Rust's standard library on Windows (and getrandom) take their random bytes from
 * bcryptprimitives!ProcessPrng. Wine 8 ships no bcryptprimitives.dll, so every Rust .exe fails
 * to load under it (status c0000135). This one-function DLL answers ProcessPrng from
 * advapi32!SystemFunction036 (RtlGenRandom), Wine's OS random source. scripts/windows.sh
 * builds it with mingw into each throwaway Wine prefix; it is never shipped.
 */
#include <windows.h>

/* RtlGenRandom: declared here because its header name (ntsecapi.h) hides it behind a macro. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Windows documents ProcessPrng as always returning TRUE; a failure here is reported as FALSE
 * so the caller's own error path runs rather than using unfilled bytes. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        /* RtlGenRandom takes a ULONG length: feed it at most 256 MiB at a time. */
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
