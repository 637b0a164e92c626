// Start the GOV.UK Frontend components. Every page works without this script.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()
