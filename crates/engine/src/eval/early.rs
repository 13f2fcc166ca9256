//! The early request decision at run time: phase 2 over what is known
//! when the request headers end (see [`crate::early`] for the soundness
//! argument and how chains are classified).

use crate::action::BodyProcessor;
use crate::program::BodyMask;
use crate::transaction::EarlyPass;
use crate::id::Phase;
use crate::verdict::Interruption;

impl crate::Transaction {
    /// The early pass: phase 2 over what is known after the request
    /// headers. Returns the interruption when it blocks (phase 2 is then
    /// over); otherwise leaves the transaction as phase 1 left it.
    pub(crate) fn decide_early(&mut self) -> Option<Interruption> {
        if self.flow.engine != crate::RuleEngineMode::On || self.flow.interruption.is_some() || self.flow.phase_done != Some(Phase::RequestHeaders) {
            return None;
        }
        self.save();
        let processor = match self.flow.ctl.body_processor.or(self.bodies.request_processor) {
            Some(BodyProcessor::Urlencoded) => BodyMask::URLENCODED,
            Some(BodyProcessor::Multipart) => BodyMask::MULTIPART,
            Some(BodyProcessor::Json) => BodyMask::JSON,
            Some(BodyProcessor::Xml) => BodyMask::XML,
            None => 0,
        };
        let forced = if self.flow.ctl.force_body_variable { BodyMask::FORCED } else { 0 };
        self.flow.early_body = BodyMask::ANY | processor | forced;
        self.flow.early = EarlyPass::Running;
        self.run_phase(Phase::RequestBody);
        let blocked = self.flow.early == EarlyPass::Running && self.flow.interruption.is_some();
        self.flow.early = EarlyPass::Off;
        if blocked {
            self.flow.phase_done = Some(Phase::RequestBody);
            return self.flow.interruption.clone();
        }
        self.flow.interruption = None;
        self.restore();
        None
    }
}

