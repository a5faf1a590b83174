package detector

import "unsafe"

// unsafeBytes views s as bytes without copying, for hashing only.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
