//! The AWS CLI's profile files, read as the AWS tools read them:
//! `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`) for the keys and
//! `~/.aws/config` (or `AWS_CONFIG_FILE`) for the region and keys too, the
//! profile named by `AWS_PROFILE` or `default`. Keys in the environment come
//! first; the files are read only without them.
//!
//! Profiles that need another service to make keys (assumed roles, SSO, a
//! credential process) are not followed: esim says so and how to export keys.

use std::path::PathBuf;

use ini::Ini;

/// Static keys (and the region) of one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileKeys {
    pub profile: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    pub region: Option<String>,
    /// Where the keys were read, for messages.
    pub source: PathBuf,
}

/// Settings of a profile that esim cannot turn into keys by itself.
const DELEGATED: [&str; 5] =
    ["role_arn", "sso_session", "sso_start_url", "credential_process", "web_identity_token_file"];

/// The keys of the profile in effect, when the files have them; `env` reads
/// an environment variable (the tests pass their own).
pub fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<ProfileKeys>, String> {
    let named = env("AWS_PROFILE").filter(|p| !p.is_empty());
    let profile = named.clone().unwrap_or_else(|| "default".into());
    let home = env("HOME").map(PathBuf::from);
    let file = |var: &str, name: &str| {
        env(var).map(PathBuf::from).or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
    };
    let credentials_path = file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    let config_path = file("AWS_CONFIG_FILE", "config");
    let credentials = credentials_path.as_ref().map(read).transpose()?.flatten();
    let config = config_path.as_ref().map(read).transpose()?.flatten();
    // The config file names profiles `[profile NAME]`, but the default `[default]`.
    let config_section = if profile == "default" { "default".to_string() } else { format!("profile {profile}") };
    let in_credentials = credentials.as_ref().and_then(|i| i.section(Some(profile.as_str())));
    let in_config = config.as_ref().and_then(|i| i.section(Some(config_section.as_str())));
    if in_credentials.is_none() && in_config.is_none() {
        return match named {
            Some(_) => Err(format!(
                "AWS_PROFILE={profile}: no [{profile}] in {} nor [{config_section}] in {}",
                shown(&credentials_path),
                shown(&config_path)
            )),
            None => Ok(None),
        };
    }
    let get = |key: &str| -> Option<String> {
        in_credentials
            .and_then(|s| s.get(key))
            .or_else(|| in_config.and_then(|s| s.get(key)))
            .map(|v| v.trim().to_string())
    };
    let (Some(access_key_id), Some(secret_access_key)) = (get("aws_access_key_id"), get("aws_secret_access_key"))
    else {
        if let Some(setting) = DELEGATED.iter().find(|k| get(k).is_some()) {
            return Err(format!(
                "AWS profile {profile:?} gets its keys through {setting}, which esim does not follow: export them first, e.g. `eval \"$(aws configure export-credentials --profile {profile} --format env)\"`"
            ));
        }
        return Err(format!(
            "AWS profile {profile:?} has no aws_access_key_id and aws_secret_access_key ({}, {})",
            shown(&credentials_path),
            shown(&config_path)
        ));
    };
    let source =
        if in_credentials.and_then(|s| s.get("aws_access_key_id")).is_some() { credentials_path } else { config_path };
    Ok(Some(ProfileKeys {
        profile,
        access_key_id,
        secret_access_key,
        session_token: get("aws_session_token"),
        region: in_config.and_then(|s| s.get("region")).map(|r| r.trim().to_string()),
        source: source.unwrap_or_default(),
    }))
}

/// An INI file, or None when it does not exist.
fn read(path: &PathBuf) -> Result<Option<Ini>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ini::load_from_str_noescape(&text).map(Some).map_err(|e| format!("{}:{e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot read: {e}", path.display())),
    }
}

fn shown(path: &Option<PathBuf>) -> String {
    path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "~/.aws/…".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_in(dir: &std::path::Path, extra: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let mut vars: HashMap<String, String> = HashMap::from([("HOME".to_string(), dir.display().to_string())]);
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        move |k: &str| vars.get(k).cloned()
    }

    fn home() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
        std::fs::write(
            dir.path().join(".aws/credentials"),
            "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s3cr3t/+x\n\n[archive]\naws_access_key_id=AKIAARCHIVE\naws_secret_access_key=other\naws_session_token=tok\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join(".aws/config"),
            "[default]\nregion = eu-central-1\n\n[profile archive]\nregion = kz-1\n\n[profile sso]\nsso_session = corp\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn the_default_profile_and_a_named_one_with_their_regions() {
        let dir = home();
        let keys = load(&env_in(dir.path(), &[])).unwrap().unwrap();
        assert_eq!((keys.access_key_id.as_str(), keys.secret_access_key.as_str()), ("AKIADEFAULT", "s3cr3t/+x"));
        assert_eq!(keys.region.as_deref(), Some("eu-central-1"));
        let keys = load(&env_in(dir.path(), &[("AWS_PROFILE", "archive")])).unwrap().unwrap();
        assert_eq!(keys.session_token.as_deref(), Some("tok"));
        assert_eq!(keys.region.as_deref(), Some("kz-1"));
    }

    #[test]
    fn missing_files_mean_no_profile_but_a_named_missing_profile_is_an_error() {
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(load(&env_in(empty.path(), &[])).unwrap(), None);
        let dir = home();
        let err = load(&env_in(dir.path(), &[("AWS_PROFILE", "nope")])).unwrap_err();
        assert!(err.contains("AWS_PROFILE=nope: no [nope] in"), "{err}");
        let err = load(&env_in(dir.path(), &[("AWS_PROFILE", "sso")])).unwrap_err();
        assert!(err.contains("through sso_session, which esim does not follow"), "{err}");
    }
}
