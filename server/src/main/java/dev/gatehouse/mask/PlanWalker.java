package dev.gatehouse.mask;

import java.util.Arrays;

/**
 * Where the parser is in a body, for one {@link MaskPlan}: a stack of automaton states (one per open object or array)
 * and the state of the next value; and, per open object root, what its labels decided for the rules with a selector.
 *
 * <p>Labels are known when the root's {@code metadata.labels} object (or, without one, its {@code metadata}) closes.
 * Until then a rule with a selector applies (fail closed): the apiserver writes {@code metadata} before the rest, so
 * in practice this only masks more in a body that puts data first. Nothing is buffered for it.
 */
final class PlanWalker {
    private final MaskPlan plan;
    private final boolean forceSelectors;
    private MaskPlan.State[] stack = new MaskPlan.State[32];
    private boolean[] arrays = new boolean[32];
    private int depth;
    private MaskPlan.State value;
    private String field = "";
    private int frames;
    private int[] frameRoot = new int[8];
    private int[] frameMeta = new int[8];
    private int[] frameLabels = new int[8];
    private long[] frameMatched = new long[8];
    private boolean[] frameDecided = new boolean[8];

    /**
     * @param forceSelectors rules with a selector apply whatever the labels (the JSON of a last-applied annotation
     *                       inside an object they apply to)
     */
    PlanWalker(MaskPlan plan, boolean forceSelectors) {
        this.plan = plan;
        this.forceSelectors = forceSelectors;
        this.value = plan.root();
    }

    MaskPlan plan() {
        return plan;
    }

    boolean atRoot() {
        return depth == 0;
    }

    /** True when the next value may be masked by a rule (so its bytes must wait). */
    boolean holding() {
        return value.masks();
    }

    void open(boolean array) {
        MaskPlan.State s = value;
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
            arrays = Arrays.copyOf(arrays, depth * 2);
        }
        arrays[depth] = array;
        stack[depth++] = s;
        if (!array && plan.selectors()) {
            track(s);
        }
        value = array ? s : plan.dead;
    }

    private void track(MaskPlan.State s) {
        int at = depth - 1;
        if (s.root) {
            if (frames == frameRoot.length) {
                int n = frames * 2;
                frameRoot = Arrays.copyOf(frameRoot, n);
                frameMeta = Arrays.copyOf(frameMeta, n);
                frameLabels = Arrays.copyOf(frameLabels, n);
                frameMatched = Arrays.copyOf(frameMatched, n);
                frameDecided = Arrays.copyOf(frameDecided, n);
            }
            frameRoot[frames] = at;
            frameMeta[frames] = -1;
            frameLabels[frames] = -1;
            frameMatched[frames] = 0;
            frameDecided[frames] = false;
            frames++;
            return;
        }
        if (frames == 0) {
            return;
        }
        int top = frames - 1;
        if (s.meta && frameMeta[top] < 0 && frameRoot[top] == at - 1) {
            frameMeta[top] = at;
        } else if (s.labels && frameLabels[top] < 0 && frameMeta[top] == at - 1) {
            frameLabels[top] = at;
        }
    }

    void close() {
        int at = depth - 1;
        if (frames > 0) {
            int top = frames - 1;
            if (frameLabels[top] == at || frameMeta[top] == at) {
                frameDecided[top] = true;
            }
            if (frameRoot[top] == at) {
                frames--;
            }
        }
        depth--;
        valueDone();
    }

    void field(String name) {
        field = name;
        value = stack[depth - 1].field(name);
    }

    /** A value (scalar or container) ended: what comes next. */
    void valueDone() {
        if (depth == 0) {
            value = plan.root();
        } else if (!arrays[depth - 1]) {
            value = plan.dead;
        } else {
            value = stack[depth - 1];
        }
    }

    /** The mask of the next scalar: {@link MaskPlan#NONE} or the strongest kind of rule that applies. */
    int kind() {
        MaskPlan.State s = value;
        int k = s.kind;
        for (int i = 0; i < s.selectorRules.length; i++) {
            if (s.selectorKinds[i] > k && applies(s.selectorRules[i])) {
                k = s.selectorKinds[i];
            }
        }
        return k;
    }

    private boolean applies(int rule) {
        if (forceSelectors || frames == 0) {
            return true;
        }
        int top = frames - 1;
        return !frameDecided[top] || plan.satisfied(rule, frameMatched[top]);
    }

    /** True when the next scalar is a label of the current object root (so its text is wanted). */
    boolean inLabels() {
        return frames > 0 && depth > 0 && stack[depth - 1].labels && frameLabels[frames - 1] == depth - 1;
    }

    /** Notes a label's value (call when {@link #inLabels()}): it counts for the selectors. */
    void label(String text) {
        frameMatched[frames - 1] |= plan.labelBits(field, text);
    }

    /** True when rules with a selector apply to the current object root (undecided, or some label matched). */
    boolean selectorsApply() {
        if (!plan.selectors()) {
            return false;
        }
        if (forceSelectors || frames == 0) {
            return true;
        }
        int top = frames - 1;
        return !frameDecided[top] || frameMatched[top] != 0;
    }
}
