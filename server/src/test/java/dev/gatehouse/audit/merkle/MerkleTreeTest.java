package dev.gatehouse.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MerkleTreeTest {
    private static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(MerkleHash.leaf(("event " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return leaves;
    }

    /** RFC 6962 MTH, written as the RFC states it. */
    private static byte[] mth(List<byte[]> d) {
        if (d.isEmpty()) {
            return MerkleHash.empty();
        }
        if (d.size() == 1) {
            return d.getFirst();
        }
        int k = Integer.highestOneBit(d.size() - 1);
        return MerkleHash.node(mth(d.subList(0, k)), mth(d.subList(k, d.size())));
    }

    @Test
    void frontierRootEqualsTheRfcRootAtEverySize() {
        List<byte[]> all = leaves(70);
        MerkleFrontier frontier = MerkleFrontier.empty();
        assertThat(frontier.root()).isEqualTo(mth(List.of()));
        for (int n = 1; n <= all.size(); n++) {
            frontier.append(all.get(n - 1));
            assertThat(frontier.root()).as("size %d", n).isEqualTo(mth(all.subList(0, n)));
            assertThat(MerkleFrontier.of(n, frontier.subtrees()).root()).isEqualTo(frontier.root());
        }
    }

    @Test
    void emptyTreeRootIsTheHashOfNothing() {
        assertThat(MerkleHash.hex(MerkleHash.empty()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void everyInclusionProofVerifiesAndOnlyForItsLeaf() {
        List<byte[]> all = leaves(33);
        MerkleTree tree = new MerkleTree(all);
        for (int n = 1; n <= all.size(); n++) {
            byte[] root = tree.root(n);
            for (int i = 0; i < n; i++) {
                InclusionProof proof = new InclusionProof(i, n, tree.inclusionPath(i, n));
                assertThat(proof.verifies(all.get(i), root)).as("leaf %d of %d", i, n).isTrue();
                assertThat(proof.verifies(all.get((i + 1) % all.size()), root)).isFalse();
                assertThat(new InclusionProof(n, n, proof.path()).verifies(all.get(i), root)).isFalse();
            }
        }
    }

    @Test
    void proofsOfLaterLeavesNeedOnlyTheFrontierOfTheDroppedPrefix() {
        List<byte[]> all = leaves(45);
        MerkleTree full = new MerkleTree(all);
        for (int dropped = 1; dropped < 40; dropped++) {
            MerkleFrontier before = MerkleFrontier.empty();
            all.subList(0, dropped).forEach(before::append);
            MerkleTree partial = new MerkleTree(before, all.subList(dropped, all.size()));
            assertThat(partial.root(45)).isEqualTo(full.root(45));
            for (int i = dropped; i < 45; i++) {
                assertThat(partial.inclusionPath(i, 45)).as("leaf %d after dropping %d", i, dropped)
                        .containsExactlyElementsOf(full.inclusionPath(i, 45));
            }
        }
    }
}
