package dev.gatehouse.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.status.GatewayException;

/** The query parser reads what it accepts as the apiserver does (cases found by {@link QueryFuzzTest}). */
class QueryTest {
    private final RequestInfoParser parser = new RequestInfoParser();

    @ParameterizedTest
    @ValueSource(strings = {"watch", "watch=", "limit=5&watch"})
    void readsAnEmptyWatchAsAWatchAsTheApiserverDoes(String query) {
        // apimachinery's Convert_Slice_string_To_bool: only absent, "0" and "false" are false
        assertThat(parser.parse("c1", "GET", "/api/v1/secrets", Query.parse(query)).verb()).isEqualTo("watch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"watch=f", "watch=F", "watch=fAlse", "watch=yes", "watch=2"})
    void refusesFlagsGoAndTheApiserverReadDifferently(String query) {
        // strconv.ParseBool reads "f" as false; the apiserver reads every value but "0" and "false" as true
        assertThatThrownBy(() -> parser.parse("c1", "GET", "/api/v1/secrets", Query.parse(query)))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(400));
    }

    @Test
    void readsAnEmptyFollowAsFollowing() {
        assertThat(Query.parse("follow").flag("follow")).isTrue();
        assertThat(Query.parse("follow=false").flag("follow")).isFalse();
        assertThat(Query.parse("").flag("follow")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "fieldSelector=metadata.name%3Dweb%+1",  // URLDecoder read %+1 as U+0001; Go drops the pair: a list of all
            "fieldSelector=metadata.name%3Dweb%-0",  // URLDecoder read %-0 as NUL
            "fieldSelector=metadata.name%3D%FF",     // URLDecoder read U+FFFD; Go keeps the byte 0xFF
            "fieldSelector=metadata.name%3D%ED%A0%80", // a UTF-8-encoded surrogate
            "watch=%",
            "watch=%4",
            "fieldSelector=metadata.name=w\u00e9b",  // raw non-ASCII
            "watch=true\u0000",
            "watch=tr ue",
    })
    void refusesEscapesAndBytesGoWouldReadDifferently(String query) {
        assertThatThrownBy(() -> parser.parse("c1", "GET", "/api/v1/secrets", Query.parse(query)))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(400));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "metadata.name%3Dtoken                  | token",
            "metadata.name%3D%3Dtoken,type%3DOpaque | token",
            "type%3DOpaque,metadata.name%3Dtoken    | token",
            "metadata.name!%3Dtoken                 | ''",
            "metadata.name%3Da%5C%2Cb               | 'a,b'",      // an escaped comma is part of the value
            "metadata.name%3Da%5C%3Db               | 'a=b'",
            "+metadata.name%3Dtoken                 | ''",         // no trimming: ' metadata.name' is another field
            "metadata.name+%3Dtoken                 | ''",
            "metadata.name%3D+token                 | ' token'",
            "metadata.name%3Da%2Fb                  | ''",         // not a path segment name: no name
            "metadata.name%3D..                     | ''",
            "''                                     | ''",
    })
    void readsTheFieldSelectorNameAsTheApiserverDoes(String selector, String name) {
        assertThat(Query.parse("fieldSelector=" + selector).fieldSelectorName()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.name%3Da%3Db", "metadata.name%3Da%5Cb", "metadata.name%3Da%5C", "nooperator",
            "metadata.name%3Da,metadata.name%3D%3Db"})
    void refusesFieldSelectorsTheApiserverCannotParseOrThatNameTwice(String selector) {
        Query query = Query.parse("fieldSelector=" + selector);
        assertThatThrownBy(query::fieldSelectorName).isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).status().code()).isEqualTo(400));
    }

    @Test
    void decodesPlusAsSpaceAndUtf8Escapes() {
        assertThat(Query.parse("labelSelector=app+in+(a%2Cb)&x=%C3%A9").first("labelSelector"))
                .isEqualTo("app in (a,b)");
        assertThat(Query.parse("x=%C3%A9").first("x")).isEqualTo("\u00e9");
    }
}
