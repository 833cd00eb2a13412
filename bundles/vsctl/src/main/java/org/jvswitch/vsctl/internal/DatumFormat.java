package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema.Type;

/**
 * Writes atoms and data as ovs-vsctl prints them (ovsdb_atom_to_string, ovsdb_datum_to_string,
 * ovsdb_datum_to_bare and ovsdb_datum_to_json in lib/ovsdb-data.c).
 */
final class DatumFormat {
    private DatumFormat() {
    }

    /** ovsdb_atom_to_string: the form ovsdb_atom_from_string reads back (strings quoted if needed). */
    static void atom(StringBuilder out, Object atom) {
        switch (atom) {
            case Long l -> out.append(l);
            case Double d -> out.append(CFormat.g(d));
            case Boolean b -> out.append(b);
            case String s -> {
                if (needsQuotes(s)) {
                    JsonText.appendQuoted(out, s);
                } else {
                    out.append(s);
                }
            }
            case UUID u -> out.append(u);
            default -> throw new IllegalArgumentException("not an atom: " + atom);
        }
    }

    static String atom(Object atom) {
        StringBuilder out = new StringBuilder();
        atom(out, atom);
        return out.toString();
    }

    /**
     * string_needs_quotes: anything but a C identifier-like word (letters, digits, '_', '-', '.',
     * not starting with a digit), and the words that would read back as another type.
     */
    static boolean needsQuotes(String s) {
        if (s.isEmpty()) {
            return true;
        }
        char c = s.charAt(0);
        if (!isAsciiAlpha(c) && c != '_') {
            return true;
        }
        for (int i = 1; i < s.length(); i++) {
            c = s.charAt(i);
            if (!isAsciiAlpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '.') {
                return true;
            }
        }
        return s.equals("true") || s.equals("false") || Uuids.parse(s) != null;
    }

    private static boolean isAsciiAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** ovsdb_datum_to_string: brackets unless the column holds at most one value and has one. */
    static String string(Datum d, Type type) {
        StringBuilder out = new StringBuilder();
        string(out, d, type);
        return out.toString();
    }

    static void string(StringBuilder out, Datum d, Type type) {
        boolean brackets = type.max() > 1 || d.isEmpty();
        if (brackets) {
            out.append(type.isMap() ? '{' : '[');
        }
        for (int i = 0; i < d.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            atom(out, d.key(i));
            if (type.isMap()) {
                out.append('=');
                atom(out, d.value(i));
            }
        }
        if (brackets) {
            out.append(type.isMap() ? '}' : ']');
        }
    }

    /** ovsdb_datum_to_bare: space-separated, strings unquoted (for scripts; not parseable back). */
    static String bare(Datum d, Type type) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            bareAtom(out, d.key(i));
            if (type.isMap()) {
                out.append('=');
                bareAtom(out, d.value(i));
            }
        }
        return out.toString();
    }

    private static void bareAtom(StringBuilder out, Object atom) {
        if (atom instanceof String s) {
            out.append(s);
        } else {
            atom(out, atom);
        }
    }

    /** ovsdb_datum_to_json: ["map",[[k,v],...]], a bare atom for one element, else ["set",[...]]. */
    static String json(Datum d, Type type) {
        return JsonWriter.write(jsonTree(d, type), false);
    }

    static Object jsonTree(Datum d, Type type) {
        if (type.isMap()) {
            List<Object> pairs = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) {
                pairs.add(List.of(jsonAtomTree(d.key(i)), jsonAtomTree(d.value(i))));
            }
            return List.of(new JsonWriter.Raw("\"map\""), pairs);
        }
        if (d.size() == 1) {
            return jsonAtomTree(d.key(0));
        }
        List<Object> atoms = new ArrayList<>();
        for (Object a : d.keys()) {
            atoms.add(jsonAtomTree(a));
        }
        return List.of(new JsonWriter.Raw("\"set\""), atoms);
    }

    private static Object jsonAtomTree(Object atom) {
        if (atom instanceof UUID u) {
            return List.of(new JsonWriter.Raw("\"uuid\""), new JsonWriter.Raw("\"" + u + "\""));
        }
        StringBuilder s = new StringBuilder();
        jsonAtom(s, atom);
        return new JsonWriter.Raw(s.toString());
    }

    static void jsonAtom(StringBuilder out, Object atom) {
        switch (atom) {
            case Long l -> out.append(l);
            case Double d -> out.append(JsonText.real(d));
            case Boolean b -> out.append(b);
            case String s -> JsonText.appendQuoted(out, s);
            case UUID u -> out.append("[\"uuid\",\"").append(u).append("\"]");
            default -> throw new IllegalArgumentException("not an atom: " + atom);
        }
    }
}
