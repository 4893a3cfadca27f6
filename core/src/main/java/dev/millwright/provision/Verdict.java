package dev.millwright.provision;

/** A gate's judgement: passed or not, and the evidence either way (figures against criteria). */
public record Verdict(boolean passed, String evidence) {
    static Verdict pass(String evidence) {
        return new Verdict(true, evidence);
    }

    static Verdict fail(String evidence) {
        return new Verdict(false, evidence);
    }
}
