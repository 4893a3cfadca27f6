package dev.millwright.catalog;

/** Shortens a data row's source column to what a one-sentence reason should cite. */
final class Sources {
    private Sources() {
    }

    /**
     * The citation without copy notes and links: "NVIDIA CUDA Toolkit 13.1 Release Notes, table 'X' (https://...);
     * text copy found in ..." becomes "NVIDIA CUDA Toolkit 13.1 Release Notes, table 'X'". The pack's source
     * keeps the full text.
     */
    static String brief(String source) {
        String s = source;
        int semicolon = s.indexOf("; ");
        if (semicolon > 0) s = s.substring(0, semicolon);
        int link = s.indexOf(" (http");
        if (link > 0 && s.endsWith(")")) s = s.substring(0, link);
        return s.trim();
    }
}
