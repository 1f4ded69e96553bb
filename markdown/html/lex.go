package html

// fastLexers are docrun's own lexers for the languages most of a page's
// code is in, keyed by lowercased fence language.
var fastLexers = map[string]lexFunc{}
