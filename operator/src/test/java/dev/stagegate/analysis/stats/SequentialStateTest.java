package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sequential state in the Release status")
class SequentialStateTest {

    @Test
    @DisplayName("encodes to one line of plain text and decodes to an equal state")
    void roundTrips() {
        SequentialErrorCheck check = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01));
        SequentialResult r = check.update(null, Counts.of(12, 0), Counts.of(130, 1));
        r = check.update(r.state(), Counts.of(1_012.5, 13), Counts.of(9_130, 91));

        String text = r.state().encode();

        assertThat(text).startsWith("v2;rho0=1.2;alpha=0.01;beta=0.05;lastCanary=1012.5,13.0;lastStable=9130.0,91.0;")
                .doesNotContain("\n");
        assertThat(SequentialState.decode(text)).isEqualTo(r.state());
        SequentialState fresh = SequentialState.initial(new SequentialConfig(0.5, 0.01), 3);
        assertThat(SequentialState.decode(fresh.encode())).isEqualTo(fresh);
    }

    @Test
    @DisplayName("text it did not write is rejected rather than half-read")
    void rejectsForeignText() {
        String good = SequentialState.initial(new SequentialConfig(0.2, 0.01), 1).encode();

        assertThatThrownBy(() -> SequentialState.decode("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SequentialState.decode(good.replace("v2", "v9"))).hasMessageContaining("version");
        assertThatThrownBy(() -> SequentialState.decode(good.replace(";decision=CONTINUE", "")))
                .hasMessageContaining("decision");
        assertThatThrownBy(() -> SequentialState.decode(good.replace("rho0=1.2", "rho0=abc")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SequentialState.decode(good.replaceFirst("worse=0.0,", "worse=")))
                .hasMessageContaining("grid");
    }
}
