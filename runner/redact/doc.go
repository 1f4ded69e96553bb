// Package redact hides secrets in what docrun shows and saves: step output
// as it streams (the terminal of run and walk, the serve page) and as it
// is saved, the commands as run, the run result, reports and JUnit. Each
// secret becomes Marker.
//
// # What is hidden
//
// Secrets known by their shape: bearer and basic credentials; JWTs and
// their base64; kubeadm bootstrap tokens ([a-z0-9]{6}.[a-z0-9]{16});
// private keys, PEM and PGP (the body up to the END line, or up to the
// first line that cannot be part of a key when there is none); the values
// of credential fields (credentialFields: token, password, client-key-data
// ...) in YAML, JSON and flow style, whatever the quotes, spaces and
// indentation (tabs too); the values under data, stringData and binaryData
// of a Secret (YAML block or flow style, JSON indented or on one line,
// items of a List); the value of an env entry whose name looks secret; and
// literal values given to secret-looking names (secretWords) in NAME=value
// and --token=value.
//
// Secret values: those the Redactor is told (Add, AddEnv, AddShellValues,
// Learn) and the data of Secrets it redacts (with their decoded form),
// wherever they appear, as they are or base64-encoded, also inside the
// encoding of a longer text (each of the three alignments, standard and URL
// alphabets).
//
// Terminal escape sequences (colours of jq -C, bold) are removed from the
// text before the rules look at it, and are not written out.
//
// # Streams
//
// The rules read the text a line at a time, keeping what they know of the
// lines before (the open YAML and JSON mappings, a private key's body). A
// Stream takes a text in writes of any size and holds back only what it
// must: a line until its newline (or MaxLine bytes), and the lines whose
// redaction depends on a line still to come, until it comes: the values
// under data: of a mapping whose kind: is not known yet (kubectl prints
// data first), a value: whose name: is not known yet. When the mapping
// ends without it they are no secret; past MaxHeld bytes held they are
// hidden. String is a Stream given the whole text at once, so a Stream's
// output is String's for any split of the text into writes (FuzzStream).
//
// # Stdout and stderr
//
// A step's stdout and stderr are redacted as one text, in the order their
// writes arrive, and each part goes back to its own stream (a Stream with
// two sources, and a Transcript for the saved output). That text is the
// one the reader sees, the two streams interleaved on the terminal and on
// the serve page, so it is where no secret may show: a token printed half
// on stdout and half on stderr is found there and removed from both, its
// marker on the stream where it starts. Redacting each stream apart could
// not find it at all. The order is that in which docrun reads the two
// pipes: writes made at nearly the same instant may be read in the other
// order, and then the halves are not together in what is shown either.
//
// # When a value is known
//
// Live output can only hide what is known when it is shown: the values the
// step's code assigns (Learn, before it runs) and those found on the way. A
// variable set from a command (TOKEN=$(...)) is read from the shell after
// the step. So the saved output of a step is redacted again at its end, as
// one text, with every value known then; when a step teaches a new value,
// the saved results of the earlier steps are redacted again (Generation);
// and the run result, reports, render --from and watch --from first learn
// from the whole result, then redact it: a secret printed before the step
// that reveals it is hidden there, though it did show live.
package redact
