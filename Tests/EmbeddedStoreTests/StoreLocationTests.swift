import EmbeddedStore
import Testing

@Suite("Store location")
struct StoreLocationTests {
    @Test("defaults follow XDG under HOME")
    func defaults() {
        let paths = EmbeddedStoreLocation.resolve(storePath: nil, environment: ["HOME": "/home/jess"])
        #expect(paths.databasePath == "/home/jess/.local/share/sftpidp/secrets.db")
        #expect(paths.keyPath == "/home/jess/.config/sftpidp/master.key")
    }

    @Test("XDG directories are used when absolute, ignored when relative")
    func xdg() {
        let absolute = EmbeddedStoreLocation.resolve(storePath: nil, environment: ["HOME": "/h", "XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/conf"])
        #expect(absolute.databasePath == "/data/sftpidp/secrets.db")
        #expect(absolute.keyPath == "/conf/sftpidp/master.key")
        let relative = EmbeddedStoreLocation.resolve(storePath: nil, environment: ["HOME": "/h", "XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": ""])
        #expect(relative.databasePath == "/h/.local/share/sftpidp/secrets.db")
        #expect(relative.keyPath == "/h/.config/sftpidp/master.key")
    }

    @Test("--store beats SFTPIDP_STORE; SFTPIDP_MASTER_KEY_FILE names the key; ~ is expanded")
    func overrides() {
        let environment = ["HOME": "/h", "SFTPIDP_STORE": "/env/store.db", "SFTPIDP_MASTER_KEY_FILE": "~/keys/k"]
        #expect(EmbeddedStoreLocation.resolve(storePath: "/flag/store.db", environment: environment).databasePath == "/flag/store.db")
        #expect(EmbeddedStoreLocation.resolve(storePath: nil, environment: environment).databasePath == "/env/store.db")
        #expect(EmbeddedStoreLocation.resolve(storePath: nil, environment: environment).keyPath == "/h/keys/k")
        #expect(EmbeddedStoreLocation.resolve(storePath: "~/s.db", environment: environment).databasePath == "/h/s.db")
    }
}
