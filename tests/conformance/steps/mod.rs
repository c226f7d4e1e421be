//! Step definitions, one concern per file. Step phrases read like the vendor page; each lives
//! in exactly one place.

mod authorization;
mod mailbox_state;
mod response;
mod restore;
mod session;
